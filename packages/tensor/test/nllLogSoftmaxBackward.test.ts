// The log-softmax backward of a one-hot gradient given by rows (target index and coefficient per
// row) must equal softmaxBackward on the (M, C) one-hot array bit for bit, signed zeros included,
// on the JS backend (float32 and float64) and on wasm with one thread and rows split over threads.
import { afterAll, describe, expect, it } from "vitest";
import { type Backend, Generator, jsBackend, NDArray } from "@rnnkit/tensor";
// JS, wasm on one thread, and wasm splitting every product or row block of 16 or more over workers.
import { pool, single, threaded } from "./sequenceBackends.js";

afterAll(() => pool.close());

const gen = new Generator(11);

/** Element-wise identity, NaN and signed zero included. */
function expectSame(got: NDArray, want: NDArray): void {
  const a = got.flat();
  const b = want.flat();
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`[${i}]: ${a[i]} vs one-hot path ${b[i]}`);
}

/**
 * Logits (some so low that e^y underflows to 0, where `0 − e^y·c` and `−e^y·c` differ in sign),
 * targets (first and last column included) and coefficients `0 + (−g·w)` with ignored rows (w = 0)
 * and zero-weight classes.
 */
function problem(M: number, C: number, dtype: "float32" | "float64") {
  const x = dtype === "float32" ? new Float32Array(M * C) : new Float64Array(M * C);
  for (let i = 0; i < x.length; i++) x[i] = i % 17 === 3 ? -1e4 : gen.normal() * 4;
  const targets = new Int32Array(M);
  const coef = dtype === "float32" ? new Float32Array(M) : new Float64Array(M);
  for (let r = 0; r < M; r++) {
    targets[r] = r === 0 ? C - 1 : r === 1 ? 0 : Math.floor(gen.uniform() * C);
    const w = r % 5 === 2 ? 0 : r % 7 === 4 ? 2.5 : 1;
    coef[r] = -(gen.normal() / M) * w;
    coef[r] = 0 + coef[r]!;
  }
  return { x: new NDArray(x, [M, C]), targets, coef };
}

function oneHot(M: number, C: number, targets: Int32Array, coef: Float32Array | Float64Array): NDArray {
  const g = coef instanceof Float32Array ? new Float32Array(M * C) : new Float64Array(M * C);
  for (let r = 0; r < M; r++) g[r * C + targets[r]!] = coef[r]!;
  return new NDArray(g, [M, C]);
}

const backends: [string, Backend, "float32" | "float64"][] = [
  ["js float32", jsBackend, "float32"],
  ["js float64", jsBackend, "float64"],
  ["wasm one thread", single, "float32"],
  ["wasm rows split", threaded, "float32"],
  ["wasm float64 (JS fallback)", single, "float64"],
];

describe("nllLogSoftmaxBackward", () => {
  for (const [name, b, dtype] of backends) {
    for (const [M, C] of [[700, 400], [5, 301], [33, 13], [9, 7], [3, 1], [2, 4001]] as const) {
      it(`${name} (${M}, ${C}) equals softmaxBackward of the one-hot gradient bit for bit`, () => {
        const { x, targets, coef } = problem(M, C, dtype);
        const y = b.softmax(x, 1, true);
        const got = b.nllLogSoftmaxBackward(y, targets, coef);
        expectSame(got, b.softmaxBackward(y, oneHot(M, C, targets, coef), 1, true));
      });
    }
  }

  it("keeps +0 (not −0) where e^y underflows and the coefficient is positive", () => {
    const y = new NDArray(new Float32Array([-1e4, -1e4, 0, -1e4, -1e4]), [1, 5]);
    const got = jsBackend.nllLogSoftmaxBackward(y, new Int32Array([2]), new Float32Array([0.5])).flat();
    expect(Object.is(got[0], 0)).toBe(true);
    expect(got[2]).toBe(0);
  });
});
