// Softmax rows split over worker threads: each row is computed whole by one thread, so the split
// result must equal the one-thread result bit for bit, for softmax, log-softmax and both backwards.
import { afterAll, describe, expect, it } from "vitest";
import { Generator, NDArray } from "@rnnkit/tensor";
// JS, wasm on one thread, and wasm splitting every product or row block of 16 or more over workers.
import { pool, single, threaded } from "./sequenceBackends.js";

afterAll(() => pool.close());

const gen = new Generator(5);
function randn(shape: number[], scale: number): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gen.normal() * scale;
  return new NDArray(out, shape);
}

/** Element-wise identity, NaN and signed zero included. */
function expectSame(got: NDArray, want: NDArray): void {
  const a = got.flat();
  const b = want.flat();
  expect(got.shape).toEqual(want.shape);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`[${i}]: ${a[i]} vs one-thread ${b[i]}`);
}

describe("threaded softmax rows", () => {
  for (const shape of [[700, 400], [5, 301], [3, 7, 129], [1, 4000]]) {
    for (const log of [true, false]) {
      it(`${log ? "log-softmax" : "softmax"} ${JSON.stringify(shape)} and its backward equal one thread bit for bit`, () => {
        const x = randn(shape, 4);
        const g = randn(shape, 1);
        const y = threaded.softmax(x, shape.length - 1, log);
        expectSame(y, single.softmax(x, shape.length - 1, log));
        expectSame(threaded.softmaxBackward(y, g, shape.length - 1, log), single.softmaxBackward(y, g, shape.length - 1, log));
      });
    }
  }
});
