// Weights kept packed in the wasm kernels' memory across `recurrentSequence` calls: the resident
// walk equals the walk that packs on every call (bit for bit: the same kernels run) for every
// cell, a stamp's version or key change is picked up, and the store releases, evicts under its
// cap and survives the memory and the pinned area growing.
import { afterAll, describe, expect, it } from "vitest";
import { Generator, jsBackend, type RecurrentCell, type RecurrentSequence, type WeightStamp } from "@rnnkit/tensor";
import { runRecurrentSequence } from "../src/kernels/recurrentSequence.js";
import { loadWasmKernels } from "../src/wasm/loader.js";
import { ResidentStore } from "../src/wasm/residentStore.js";
import { ThreadPool } from "../src/wasm/threadPool.js";
import { createWasmBackend } from "../src/wasm/wasmBackend.js";
import { normals, pool as sharedPool, walk } from "./sequenceBackends.js";

const gen = new Generator(11);
const randn = (n: number, scale = 1): Float32Array => normals(gen, n, scale);

/** A backend with its own kernels and store (cap in bytes), and one over other kernels that packs on every call. */
function backends(cap = 64 * 2 ** 20, threaded = false) {
  const kernels = loadWasmKernels(threaded)!;
  const store = new ResidentStore(kernels, cap);
  const pool = threaded ? new ThreadPool(kernels) : null;
  const opts = threaded ? { pool, minSplit: 16, threads: 3, minChunk: 1 } : {};
  return {
    kernels, store, pool,
    resident: createWasmBackend(kernels, jsBackend, { ...opts, store }),
    plain: createWasmBackend(loadWasmKernels(false)!, jsBackend, { store: null }),
  };
}

interface Weights {
  wih: Float32Array;
  whh: Float32Array;
  whr: Float32Array | null;
  stamps: { wih: WeightStamp; whh: WeightStamp; whr: WeightStamp | null };
}

const GATES: Record<RecurrentCell, number> = { rnnTanh: 1, rnnRelu: 1, gru: 3, lstm: 4 };

function weights(cell: RecurrentCell, H: number, I: number, R: number | null): Weights {
  const GH = GATES[cell] * H;
  const wih = randn(GH * I, 1 / Math.sqrt(I));
  const whh = randn(GH * (R ?? H), 1 / Math.sqrt(H));
  const whr = R ? randn(R * H, 1 / Math.sqrt(H)) : null;
  return { wih, whh, whr, stamps: { wih: { key: {}, version: 0 }, whh: { key: {}, version: 0 }, whr: whr ? { key: {}, version: 0 } : null } };
}

/** A sequence over `w` with fresh input rows and state: batch sizes `sizes`, saving every step when `keep`. */
function problem(cell: RecurrentCell, H: number, I: number, w: Weights, sizes: number[], keep: boolean, reverse = false): RecurrentSequence {
  const GH = GATES[cell] * H;
  const R = w.whr ? w.whr.length / H : H;
  const N = sizes.reduce((a, b) => a + b, 0);
  const B = sizes[0]!;
  const S = keep ? N : B;
  const lstm = cell === "lstm";
  const gated = cell === "lstm" || cell === "gru";
  return {
    cell, H, steps: walk(sizes, reverse, keep), gi: keep ? new Float32Array(N * GH) : null,
    input: { x: randn(N * I), weight: w.wih, weightStamp: w.stamps.wih, size: I, bias: randn(GH, 0.3) },
    whh: w.whh, whhStamp: w.stamps.whh, bhh: randn(GH, 0.3),
    h: randn(B * R, 0.5), c: lstm ? randn(B * H, 0.5) : null,
    out: new Float32Array(N * R), acts: gated ? new Float32Array(S * GH) : null, saved: gated ? new Float32Array(S * H) : null,
    tanhC: lstm ? new Float32Array(S * H) : null, hPrev: keep ? new Float32Array(N * R) : null,
    projection: w.whr ? { weight: w.whr, weightStamp: w.stamps.whr, size: R, raw: keep ? new Float32Array(N * H) : null } : null,
  };
}

/** A deep copy of every array the walk writes (inputs shared). */
function copy(s: RecurrentSequence): RecurrentSequence {
  const c = <T extends Float32Array | Float64Array | null | undefined>(x: T): T => (x ? (x.slice() as T) : x);
  const p = s.projection;
  return {
    ...s, gi: c(s.gi), h: c(s.h), c: c(s.c), out: c(s.out), acts: c(s.acts), saved: c(s.saved), tanhC: c(s.tanhC), hPrev: c(s.hPrev),
    projection: p ? { ...p, raw: c(p.raw) } : p,
  };
}

const OUTPUTS = ["out", "h", "c", "acts", "saved", "tanhC", "hPrev"] as const;

/** Every output of `got` equal to `want`'s: bit for bit, or within `tol` (relative plus absolute) when given. */
function expectOutputs(got: RecurrentSequence, want: RecurrentSequence, tol = 0): void {
  const pairs: [string, ArrayLike<number> | null | undefined, ArrayLike<number> | null | undefined][] = OUTPUTS.map((k) => [k, got[k], want[k]]);
  pairs.push(["projection.raw", got.projection?.raw, want.projection?.raw]);
  for (const [name, g, w] of pairs) {
    if (!g || !w) {
      expect(g ?? null, name).toBe(w ?? null);
      continue;
    }
    expect(g.length, name).toBe(w.length);
    for (let i = 0; i < g.length; i++) {
      const ok = tol === 0 ? Object.is(g[i], w[i]) : Math.abs(g[i]! - w[i]!) <= tol * (1 + Math.abs(w[i]!));
      if (!ok) throw new Error(`${name}[${i}]: ${g[i]} vs ${w[i]}`);
    }
  }
}

const CASES: [string, RecurrentCell, number | null][] = [
  ["rnnTanh", "rnnTanh", null], ["rnnRelu", "rnnRelu", null], ["gru", "gru", null], ["lstm", "lstm", null], ["lstm with projection", "lstm", 8],
];

const one = backends();
const split = backends(64 * 2 ** 20, true);
const splitReady = await split.pool!.whenReady(2);
afterAll(() => {
  split.pool?.close();
  sharedPool.close();
});

it("the worker threads started", () => expect(splitReady).toBe(true));

describe("resident weights: the same values as packing on every call", () => {
  for (const [label, cell, R] of CASES) {
    for (const [sizes, keep, reverse] of [[[1], false, false], [[1, 1, 1], true, false], [[5, 5, 3, 2, 1], true, true], [[4, 4], false, false]] as const) {
      it(`${label}, batch sizes ${sizes.join(",")}${keep ? ", saving every step" : ""}${reverse ? ", reversed" : ""}: bit for bit, first call and later calls, one thread and split`, () => {
        const H = 32;
        const I = 12;
        const w = weights(cell, H, I, R);
        for (const be of [one, split]) {
          const packs = be.store.stats().packs;
          for (let call = 0; call < 3; call++) {
            const s = problem(cell, H, I, w, [...sizes], keep, reverse);
            const want = copy(s);
            be.plain.recurrentSequence(want);
            be.resident.recurrentSequence(s);
            expectOutputs(s, want);
          }
          // Packed on the first call only: W_ih, W_hh (and W_hr).
          expect(be.store.stats().packs - packs).toBe(R ? 3 : 2);
        }
      });
    }
  }
});

describe("the wasm walk against the per-step reference walk on the same kernels", () => {
  for (const [label, cell, R] of CASES) {
    for (const sizes of [[5, 5, 3, 2, 1], [1, 1, 1], [1]]) {
      // GRU and LSTM run the same products and cells: bit for bit. Elman cells add in another order.
      const exact = (cell === "gru" || cell === "lstm") && !R;
      it(`${label}, batch sizes ${sizes.join(",")}: ${exact ? "bit for bit" : "to rounding"}`, () => {
        const H = 64;
        const w = weights(cell, H, 300, R);
        const s = problem(cell, H, 300, w, sizes, true, true);
        const want = copy(s);
        runRecurrentSequence(one.plain, want);
        one.resident.recurrentSequence(s);
        expectOutputs(s, want, exact ? 0 : 2e-6);
      });
    }
  }
});

describe("rowProduct (one-row products on 32-column panels)", () => {
  const k = one.kernels.exports;
  const SIZES: [number, number][] = [[2048, 512], [40, 300], [5, 7], [96, 256], [33, 600], [8, 1]];
  for (const [n, kk] of SIZES) {
    it(`n ${n}, k ${kk}: equals gemmPrepacked bit for bit`, () => {
      const b = randn(n * kk);
      const a = randn(kk);
      const l = one.kernels.layout([n * kk, k.packedBFloats(n, kk), k.rowPackedFloats(n, kk), kk, k.packedAFloats(1, kk), n, n + 8, 32])!;
      const [pb, pGemm, pRow, pa, pA, pc, pr, tmp] = l.at as [number, number, number, number, number, number, number, number];
      l.mem.set(b, pb >> 2);
      l.mem.set(a, pa >> 2);
      k.packGemmB(1, n, kk, pb, kk, pGemm);
      k.packRowB(n, kk, pb, kk, pRow);
      k.packRowsA(pa, kk, 1, kk, pA);
      k.gemmPrepacked(1, n, kk, pA, pGemm, pc, n, one.kernels.workBase, 0, n);
      l.mem.fill(7, pr >> 2, (pr >> 2) + n + 8);
      k.rowProduct(n, kk, pa, pRow, pr, tmp, 0, n);
      const want = Array.from(l.mem.subarray(pc >> 2, (pc >> 2) + n));
      const got = Array.from(l.mem.subarray(pr >> 2, (pr >> 2) + n + 8));
      expect(got.slice(0, n)).toEqual(want);
      expect(got.slice(n)).toEqual(new Array(8).fill(7)); // nothing written past n
      for (let j = 0; j < n; j++) if (!Object.is(got[j], want[j])) throw new Error(`[${j}]: ${got[j]} vs ${want[j]}`);
    });
  }
});

describe("stamps", () => {
  it("a new version is repacked, the same version is not; a new key is a new entry", () => {
    const w = weights("lstm", 16, 8, null);
    const run = (): RecurrentSequence => {
      const s = problem("lstm", 16, 8, w, [1], false);
      const want = copy(s);
      one.plain.recurrentSequence(want);
      one.resident.recurrentSequence(s);
      expectOutputs(s, want);
      return s;
    };
    run();
    const packs = one.store.stats().packs;
    const entries = one.store.stats().entries;
    run();
    expect(one.store.stats().packs).toBe(packs);
    w.whh.set(randn(w.whh.length, 0.25));
    w.stamps.whh = { key: w.stamps.whh.key, version: 1 };
    run(); // fails unless W_hh was repacked
    expect(one.store.stats().packs).toBe(packs + 1);
    expect(one.store.stats().entries).toBe(entries);
    w.wih = randn(w.wih.length, 0.25);
    w.stamps.wih = { key: {}, version: 0 };
    run();
    expect(one.store.stats().packs).toBe(packs + 2);
    expect(one.store.stats().entries).toBe(entries + 1);
  });

  it("a sequence without stamps packs on every call and leaves the store alone", () => {
    const w = weights("gru", 16, 8, null);
    const s = problem("gru", 16, 8, w, [2, 1], true);
    const before = one.store.stats();
    const plain = { ...s, whhStamp: null, input: { ...s.input!, weightStamp: null } };
    const want = copy(plain);
    one.plain.recurrentSequence(want);
    one.resident.recurrentSequence(plain);
    expectOutputs(plain, want);
    expect(one.store.stats()).toEqual(before);
  });
});

describe("the store", () => {
  it("releases entries by key, and gives its area back when empty", () => {
    const b = backends();
    const w = weights("gru", 16, 8, null);
    b.resident.recurrentSequence(problem("gru", 16, 8, w, [3, 2], false));
    expect(b.store.stats().entries).toBe(2);
    expect(b.kernels.residentBytes).toBeGreaterThan(0);
    b.store.release(w.stamps.whh.key);
    expect(b.store.stats().entries).toBe(1);
    expect(b.store.holds(w.stamps.whh)).toBe(false);
    expect(b.store.holds(w.stamps.wih)).toBe(true);
    b.store.release(w.stamps.wih.key);
    expect(b.store.stats()).toMatchObject({ entries: 0, bytes: 0, reserved: 0 });
    expect(b.kernels.scratchBase).toBe(b.kernels.residentBase);
    // Released weights are packed again on their next use, and the values stay right.
    const s = problem("gru", 16, 8, w, [3, 2], false);
    const want = copy(s);
    b.plain.recurrentSequence(want);
    b.resident.recurrentSequence(s);
    expectOutputs(s, want);
    expect(b.store.stats().entries).toBe(2);
  });

  it("evicts the least recently used entries to stay under its cap, and runs without it when a call alone does not fit", () => {
    const bytes = (n: number, k: number): number => Math.ceil((one.kernels.exports.packedBFloats(n, k) * 4) / 16) * 16;
    // Two GRU layers (H 16, I 8) fit; a third does not.
    const perLayer = bytes(48, 16) + bytes(48, 8);
    const b = backends(2 * perLayer + 16);
    const layers = [0, 1, 2].map(() => weights("gru", 16, 8, null));
    const run = (w: Weights): void => {
      const s = problem("gru", 16, 8, w, [3, 2], true);
      const want = copy(s);
      b.plain.recurrentSequence(want);
      b.resident.recurrentSequence(s);
      expectOutputs(s, want);
    };
    run(layers[0]!);
    run(layers[1]!);
    run(layers[0]!); // now layer 1 is the least recently used
    run(layers[2]!);
    expect(b.store.stats().entries).toBe(4);
    expect(b.store.stats().bytes).toBeLessThanOrEqual(b.store.capBytes);
    expect(b.store.holds(layers[0]!.stamps.whh)).toBe(true);
    expect(b.store.holds(layers[1]!.stamps.whh)).toBe(false);
    expect(b.store.holds(layers[2]!.stamps.wih)).toBe(true);
    // A layer larger than the cap runs on weights packed for the call only.
    const big = weights("lstm", 64, 64, null);
    const s = problem("lstm", 64, 64, big, [2], false);
    const want = copy(s);
    b.plain.recurrentSequence(want);
    b.resident.recurrentSequence(s);
    expectOutputs(s, want);
    expect(b.store.holds(big.stamps.whh)).toBe(false);
    expect(b.store.stats().entries).toBe(4);
  });

  it("keeps its entries right when the pinned area grows under them and when the memory grows", () => {
    const b = backends();
    const w = weights("lstm", 32, 16, 12);
    const run = (): void => {
      const s = problem("lstm", 32, 16, w, [2, 2, 1], true);
      const want = copy(s);
      b.plain.recurrentSequence(want);
      b.resident.recurrentSequence(s);
      expectOutputs(s, want);
    };
    run();
    const packs = b.store.stats().packs;
    const residentBase = b.kernels.residentBase;
    // A prepared operand larger than any before grows the pinned area: the resident area moves up.
    const n = 256;
    const kk = 256;
    const weight = randn(n * kk);
    const prepared = b.resident.prepareGemmB(true, n, kk, weight, 0, kk);
    const a = randn(4 * kk);
    const got = new Float32Array(4 * n);
    prepared.gemm(4, a, 0, kk, got, 0, n);
    expect(b.kernels.residentBase).toBeGreaterThan(residentBase);
    run();
    // A product large enough to grow the memory (views detach).
    const pages = b.kernels.exports.memory.buffer.byteLength;
    const m = 512;
    const big = randn(m * m);
    const c = new Float32Array(m * m);
    b.resident.gemm(false, false, m, m, m, 1, big, 0, m, big, 0, m, 0, c, 0, m);
    expect(b.kernels.exports.memory.buffer.byteLength).toBeGreaterThan(pages);
    run();
    expect(b.store.stats().packs).toBe(packs);
    // And the prepared operand still gives its product.
    const again = new Float32Array(4 * n);
    prepared.gemm(4, a, 0, kk, again, 0, n);
    expect(Array.from(again)).toEqual(Array.from(got));
  });
});
