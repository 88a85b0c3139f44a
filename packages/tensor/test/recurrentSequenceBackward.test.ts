// `recurrentSequenceBackward`, the BPTT of a whole GRU / LSTM layer × direction in one backend call:
// every backend against a float64 walk written from the formulas (batch sizes that shrink, grow
// when walked in reverse, with and without output gradients), and the wasm walk split over
// worker threads against the one-thread walk, bit for bit.
import { afterAll, describe, expect, it } from "vitest";
import { Generator, type RecurrentSequenceBackward } from "@rnnkit/tensor";
import { BACKENDS, normals, pool, ready, SHAPES, single, threaded, walk } from "./sequenceBackends.js";

afterAll(() => pool.close());

const gen = new Generator(11);
const randn = (n: number, scale = 1): Float32Array => normals(gen, n, scale);
/** Values like saved activations: in (0, 1) (sigmoid) or (−1, 1) (tanh). */
const unit = (n: number, signed: boolean): Float32Array => randn(n).map((v) => (signed ? Math.tanh(v) : 1 / (1 + Math.exp(-v))));

type Cell = "gru" | "lstm";
type Floats = Float32Array | Float64Array;

/** Saved activations and states of a plausible forward, random incoming gradients, zeroed outputs. */
function problem(cell: Cell, H: number, batchSizes: number[], reverse: boolean, withOut: boolean): RecurrentSequenceBackward {
  const lstm = cell === "lstm";
  const G = lstm ? 4 : 3;
  const N = batchSizes.reduce((a, b) => a + b, 0);
  const B = batchSizes[0]!;
  const acts = new Float32Array(N * G * H);
  for (let r = 0; r < N; r++) {
    for (let g = 0; g < G; g++) {
      // LSTM's g gate and GRU's n gate are tanh outputs; the rest sigmoids.
      const signed = lstm ? g === 2 : g === 2;
      acts.set(unit(H, signed), (r * G + g) * H);
    }
  }
  return {
    cell, H, steps: walk(batchSizes, reverse), whh: randn(G * H * H, 1 / Math.sqrt(H)), acts,
    saved: randn(N * H), tanhC: lstm ? unit(N * H, true) : null, hPrev: lstm ? null : unit(N * H, true),
    dOut: withOut ? randn(N * H) : null, dh: randn(B * H), dc: lstm ? randn(B * H) : null,
    dGi: new Float32Array(N * G * H).fill(NaN), dGh: lstm ? null : new Float32Array(N * G * H).fill(NaN),
  };
}

function copy(s: RecurrentSequenceBackward): RecurrentSequenceBackward {
  const c = <T extends Floats | null>(x: T): T => (x ? (x.slice() as T) : x);
  return { ...s, dh: c(s.dh), dc: c(s.dc), dGi: c(s.dGi), dGh: c(s.dGh) };
}

/** The backward walk in float64 from the formulas of the cells' derivatives. */
function reference(s: RecurrentSequenceBackward): { dh: Float64Array; dc: Float64Array | null; dGi: Float64Array; dGh: Float64Array | null } {
  const { H, steps, whh, acts, saved, tanhC, hPrev, dOut } = s;
  const lstm = s.cell === "lstm";
  const GH = (lstm ? 4 : 3) * H;
  const dh = Float64Array.from(s.dh);
  const dc = s.dc ? Float64Array.from(s.dc) : null;
  const dGi = new Float64Array(s.dGi.length).fill(NaN);
  const dGh = s.dGh ? new Float64Array(s.dGh.length).fill(NaN) : null;
  for (let q = steps.length - 3; q >= 0; q -= 3) {
    const [bs, row0] = [steps[q]!, steps[q + 1]!];
    const next = dh.slice();
    for (let b = 0; b < bs; b++) {
      const r = row0 + b;
      const dG = new Float64Array(GH); // the gradient that goes through W_hh
      for (let j = 0; j < H; j++) {
        const a = (g: number): number => acts[r * GH + g * H + j]!;
        const d = dh[b * H + j]! + (dOut ? dOut[r * H + j]! : 0);
        if (lstm) {
          const [i, f, g, o] = [a(0), a(1), a(2), a(3)];
          const tc = tanhC![r * H + j]!;
          const dct = dc![b * H + j]! + d * o * (1 - tc * tc);
          dc![b * H + j] = dct * f;
          const grads = [dct * g * i * (1 - i), dct * saved![r * H + j]! * f * (1 - f), dct * i * (1 - g * g), d * tc * o * (1 - o)];
          grads.forEach((v, k) => {
            dGi[r * GH + k * H + j] = v;
            dG[k * H + j] = v;
          });
          next[b * H + j] = 0;
        } else {
          const [rr, z, n] = [a(0), a(1), a(2)];
          const dn = d * (1 - z) * (1 - n * n);
          const dz = d * (hPrev![r * H + j]! - n) * z * (1 - z);
          const dr = dn * saved![r * H + j]! * rr * (1 - rr);
          [dr, dz, dn].forEach((v, k) => (dGi[r * GH + k * H + j] = v));
          [dr, dz, dn * rr].forEach((v, k) => {
            dGh![r * GH + k * H + j] = v;
            dG[k * H + j] = v;
          });
          next[b * H + j] = d * z;
        }
      }
      for (let p = 0; p < H; p++) {
        let sum = 0;
        for (let g = 0; g < GH; g++) sum += dG[g]! * whh[g * H + p]!;
        next[b * H + p]! += sum;
      }
    }
    dh.set(next);
  }
  return { dh, dc, dGi, dGh };
}

function expectClose(got: ArrayLike<number> | null, want: ArrayLike<number> | null, tol: number, what: string): void {
  if (!got || !want) {
    expect(got).toBe(want);
    return;
  }
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!)))) throw new Error(`${what}[${i}]: ${got[i]} vs float64 ${want[i]}`);
  }
}

function expectSame(got: ArrayLike<number> | null, want: ArrayLike<number> | null, what: string): void {
  if (!got || !want) {
    expect(got).toBe(want);
    return;
  }
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) throw new Error(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

it("the worker threads started", () => expect(ready).toBe(true));

describe.each(BACKENDS)("recurrentSequenceBackward: %s backend", (_name, be) => {
  for (const cell of ["gru", "lstm"] as const) {
    for (const [label, H, sizes] of SHAPES) {
      for (const reverse of [false, true]) {
        for (const withOut of [true, false]) {
          it(`${cell}, ${label} (H ${H}), ${reverse ? "reverse" : "forward"} walk, ${withOut ? "with" : "without"} output gradients: vs float64`, () => {
            const s = problem(cell, H, sizes, reverse, withOut);
            const want = reference(s);
            be.recurrentSequenceBackward(s);
            expectClose(s.dGi, want.dGi, 2e-5, "dGi");
            expectClose(s.dGh, want.dGh, 2e-5, "dGh");
            expectClose(s.dh, want.dh, 2e-5, "dh");
            expectClose(s.dc, want.dc, 2e-5, "dc");
          });
        }
      }
    }
  }
});

describe("recurrentSequenceBackward on the wasm kernels, bit for bit", () => {
  for (const cell of ["gru", "lstm"] as const) {
    for (const [sizes, reverse] of [[[5, 5, 3, 2, 1], false], [[5, 5, 3, 2, 1], true], [[8, 8, 8], false]] as const) {
      it(`${cell}, batch sizes ${sizes.join(",")}${reverse ? " walked in reverse" : ""}: split over threads = one thread`, () => {
        const s = problem(cell, 64, [...sizes], reverse, true);
        const [one, split] = [copy(s), copy(s)];
        single.recurrentSequenceBackward(one);
        threaded.recurrentSequenceBackward(split);
        for (const k of ["dh", "dc", "dGi", "dGh"] as const) expectSame(split[k], one[k], k);
      });
    }
  }
});
