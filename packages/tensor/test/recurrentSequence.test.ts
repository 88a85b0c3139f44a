// `recurrentSequence`, a whole GRU / LSTM layer × direction forward in one backend call: every
// backend against a float64 walk of the same packed sequence (batch sizes that shrink, grow when
// walked in reverse, saved rows or not), and the wasm paths against each other bit for bit: the
// resident walk (one thread or split by hidden units over workers) equals the per-step kernels.
import { afterAll, describe, expect, it } from "vitest";
import { Generator, jsBackend, type SequenceInput, type RecurrentSequence } from "@rnnkit/tensor";
import { runRecurrentSequence } from "../src/kernels/recurrentSequence.js";
import { loadWasmKernels } from "../src/wasm/loader.js";
import { createWasmBackend } from "../src/wasm/wasmBackend.js";
import { BACKENDS, normals, pool, ready, SHAPES, single, threaded, walk } from "./sequenceBackends.js";

afterAll(() => pool.close());

const gen = new Generator(7);
const randn = (n: number, scale = 1): Float32Array => normals(gen, n, scale);

type Cell = "gru" | "lstm";
type Floats = Float32Array | Float64Array;

/** Random operands and zeroed outputs for a sequence of the given walk, in `dtype`. */
function problem(cell: Cell, H: number, batchSizes: number[], reverse: boolean, keep: boolean, f64 = false): RecurrentSequence {
  const G = cell === "lstm" ? 4 : 3;
  const N = batchSizes.reduce((a, b) => a + b, 0);
  const B = batchSizes[0]!;
  const S = keep ? N : B;
  const make = (x: Float32Array): Floats => (f64 ? Float64Array.from(x) : x);
  const zeros = (n: number): Floats => (f64 ? new Float64Array(n) : new Float32Array(n));
  return {
    cell, H, steps: walk(batchSizes, reverse, keep),
    gi: make(randn(N * G * H, 1.5)), whh: make(randn(G * H * H, 1 / Math.sqrt(H))), bhh: make(randn(G * H, 0.5)),
    h: make(randn(B * H)), c: cell === "lstm" ? make(randn(B * H)) : null,
    out: zeros(N * H), acts: zeros(S * G * H), saved: zeros(S * H), tanhC: cell === "lstm" ? zeros(S * H) : null,
    hPrev: keep ? zeros(N * H) : null,
  };
}

/** A deep copy (outputs included), so several backends run the same problem. */
function copy(s: RecurrentSequence): RecurrentSequence {
  const c = <T extends Floats | null>(x: T): T => (x ? (x.slice() as T) : x);
  return { ...s, gi: c(s.gi), whh: c(s.whh), bhh: c(s.bhh), h: c(s.h), c: c(s.c), out: c(s.out), acts: c(s.acts), saved: c(s.saved), tanhC: c(s.tanhC), hPrev: c(s.hPrev) };
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/** `x · W_ihᵀ + bias` in float64. */
function project(input: SequenceInput, GH: number): Float64Array {
  const I = input.size;
  const N = input.x.length / I;
  const gi = new Float64Array(N * GH);
  for (let r = 0; r < N; r++) {
    for (let g = 0; g < GH; g++) {
      let sum = input.bias ? input.bias[g]! : 0;
      for (let p = 0; p < I; p++) sum += input.x[r * I + p]! * input.weight[g * I + p]!;
      gi[r * GH + g] = sum;
    }
  }
  return gi;
}

/** `s` with its input half of the gates given as rows x (N, 6) and W_ih (and a bias when `bias`) instead of `gi`, whose buffer is left as junk. */
function withInput(s: RecurrentSequence, bias: boolean): RecurrentSequence {
  const GH = s.bhh.length;
  const N = s.out.length / s.H;
  const I = 6;
  return { ...s, gi: s.gi!.fill(NaN), input: { x: randn(N * I), weight: randn(GH * I, 0.5), size: I, bias: bias ? randn(GH, 0.5) : null } };
}

/** The walk in float64, written from the formulas (gate orders r, z, n and i, f, g, o). */
function reference(s: RecurrentSequence): RecurrentSequence {
  const r = copy(s);
  const toF64 = <T extends Floats | null>(x: T): T => (x ? (Float64Array.from(x) as unknown as T) : x);
  const out = { ...r, h: toF64(r.h), c: toF64(r.c), out: toF64(r.out), acts: toF64(r.acts), saved: toF64(r.saved), tanhC: toF64(r.tanhC), hPrev: toF64(r.hPrev) };
  const { H, steps, whh, bhh } = s;
  const lstm = s.cell === "lstm";
  const GH = (lstm ? 4 : 3) * H;
  const gi = s.input ? project(s.input, GH) : s.gi!;
  const h = out.h;
  for (let q = 0; q < steps.length; q += 3) {
    const [bs, row0, sRow0] = [steps[q]!, steps[q + 1]!, steps[q + 2]!];
    const next = h.slice();
    for (let b = 0; b < bs; b++) {
      if (out.hPrev) for (let j = 0; j < H; j++) out.hPrev[(row0 + b) * H + j] = h[b * H + j]!;
      const gh = new Float64Array(GH);
      for (let g = 0; g < GH; g++) {
        let sum = 0;
        for (let p = 0; p < H; p++) sum += h[b * H + p]! * whh[g * H + p]!;
        gh[g] = sum;
      }
      const x = (g: number, j: number): number => gi[(row0 + b) * GH + g * H + j]!;
      const a = (g: number, j: number, v: number): void => {
        out.acts![(sRow0 + b) * GH + g * H + j] = v;
      };
      for (let j = 0; j < H; j++) {
        const sq = (sRow0 + b) * H + j;
        if (lstm) {
          const p = (g: number): number => x(g, j) + gh[g * H + j]! + bhh[g * H + j]!;
          const [i, f, gg, o] = [sig(p(0)), sig(p(1)), Math.tanh(p(2)), sig(p(3))];
          [i, f, gg, o].forEach((v, g) => a(g, j, v));
          out.saved![sq] = out.c![b * H + j]!;
          const c = f * out.c![b * H + j]! + i * gg;
          out.c![b * H + j] = c;
          out.tanhC![sq] = Math.tanh(c);
          next[b * H + j] = o * Math.tanh(c);
        } else {
          const rr = sig(x(0, j) + gh[j]! + bhh[j]!);
          const z = sig(x(1, j) + gh[H + j]! + bhh[H + j]!);
          const hn = gh[2 * H + j]! + bhh[2 * H + j]!;
          const n = Math.tanh(x(2, j) + rr * hn);
          [rr, z, n].forEach((v, g) => a(g, j, v));
          out.saved![sq] = hn;
          next[b * H + j] = n + z * (h[b * H + j]! - n);
        }
      }
    }
    h.set(next);
    for (let b = 0; b < bs; b++) for (let j = 0; j < H; j++) out.out[(row0 + b) * H + j] = h[b * H + j]!;
  }
  return out;
}

const FIELDS = ["out", "h", "c", "acts", "saved", "tanhC", "hPrev"] as const;

/** Calls `check(got, want)` on every element of every output both sequences have (and checks they have the same ones). */
function eachOutput(got: RecurrentSequence, want: RecurrentSequence, check: (g: number, w: number) => boolean): void {
  for (const k of FIELDS) {
    const g = got[k];
    const w = want[k];
    if (!g || !w) {
      expect(g).toBe(w);
      continue;
    }
    expect(g.length).toBe(w.length);
    for (let i = 0; i < g.length; i++) if (!check(g[i]!, w[i]!)) throw new Error(`${k}[${i}]: ${g[i]} vs ${w[i]}`);
  }
}

/** Every output within `tol` (relative, plus `tol` absolute) of the float64 walk. */
const expectClose = (got: RecurrentSequence, want: RecurrentSequence, tol: number): void =>
  eachOutput(got, want, (g, w) => Math.abs(g - w) <= tol * (1 + Math.abs(w)));

/** Every output identical, bit for bit. */
const expectSame = (got: RecurrentSequence, want: RecurrentSequence): void => eachOutput(got, want, (g, w) => Object.is(g, w));

it("the worker threads started", () => expect(ready).toBe(true));

describe.each(BACKENDS)("recurrentSequence: %s backend", (_name, be) => {
  for (const cell of ["gru", "lstm"] as const) {
    for (const [label, H, sizes] of SHAPES) {
      for (const reverse of [false, true]) {
        for (const keep of [true, false]) {
          it(`${cell}, ${label} (H ${H}), ${reverse ? "reverse" : "forward"}, ${keep ? "saving every step" : "inference"}: vs float64`, () => {
            const s = problem(cell, H, sizes, reverse, keep);
            const want = reference(s);
            be.recurrentSequence(s);
            expectClose(s, want, 2e-5);
          });
        }
      }
    }
    for (const [label, H, sizes] of SHAPES.slice(1, 4)) {
      for (const bias of [true, false]) {
        it(`${cell}, ${label} (H ${H}), projecting its input rows itself${bias ? ", with a bias" : ""}: vs float64`, () => {
          const s = withInput(problem(cell, H, sizes, true, true), bias);
          const want = reference(s);
          be.recurrentSequence(s);
          expectClose(s, want, 2e-5);
          const inference = withInput(problem(cell, H, sizes, false, false), bias);
          const wantInference = reference(inference);
          be.recurrentSequence({ ...inference, gi: null });
          expectClose(inference, wantInference, 2e-5);
        });
      }
    }
    it(`${cell} without gi or input: a clear error`, () => {
      const s = problem(cell, 16, [4, 4], false, false);
      expect(() => be.recurrentSequence({ ...s, gi: null })).toThrow("recurrentSequence: gi is null and no input is given");
    });
    it(`${cell} in float64 matches the float64 walk to rounding`, () => {
      const s = problem(cell, 12, [3, 2, 1], true, true, true);
      const want = reference(s);
      be.recurrentSequence(s);
      expectClose(s, want, 1e-13);
    });
  }
});

describe("recurrentSequence on the wasm kernels, bit for bit", () => {
  const perStep = (s: RecurrentSequence): void => runRecurrentSequence(single, s);
  for (const cell of ["gru", "lstm"] as const) {
    for (const [sizes, reverse] of [[[5, 5, 3, 2, 1], false], [[5, 5, 3, 2, 1], true], [[8, 8, 8], false]] as const) {
      it(`${cell}, batch sizes ${sizes.join(",")}${reverse ? " walked in reverse" : ""}: resident (1 thread, split over threads) = per-step kernels`, () => {
        const s = problem(cell, 64, [...sizes], reverse, true);
        const [one, split, steps] = [copy(s), copy(s), copy(s)];
        single.recurrentSequence(one);
        threaded.recurrentSequence(split);
        perStep(steps);
        expectSame(one, steps);
        expectSame(split, steps);
      });
    }
  }

  for (const cell of ["gru", "lstm"] as const) {
    it(`${cell}: projecting the input rows itself (split over threads or not) = given the same backend's x · W_ihᵀ + bias`, () => {
      const s = withInput(problem(cell, 64, [5, 5, 3, 2, 1], false, true), true);
      const { x, weight, size: I, bias } = s.input!;
      const GH = s.bhh.length;
      const N = x.length / I;
      const gi = new Float32Array(N * GH);
      single.gemm(false, true, N, GH, I, 1, x, 0, I, weight, 0, I, 0, gi, 0, GH);
      for (let r = 0; r < N * GH; r += GH) for (let j = 0; j < GH; j++) gi[r + j]! += bias![j]!;
      const given = { ...copy(s), input: null, gi };
      const [one, split] = [copy(s), copy(s)];
      single.recurrentSequence(given);
      single.recurrentSequence(one);
      threaded.recurrentSequence(split);
      expectSame(one, given);
      expectSame(split, given);
    });
  }

  it("a second sequence on the same kernels is not affected by the first one's leftovers", () => {
    const big = problem("lstm", 64, [6, 6, 6], false, true);
    const small = problem("gru", 32, [2, 1], true, false);
    const fresh = copy(small);
    createWasmBackend(loadWasmKernels(false)!, jsBackend).recurrentSequence(fresh);
    single.recurrentSequence(big);
    single.recurrentSequence(small);
    expectSame(small, fresh);
  });
});
