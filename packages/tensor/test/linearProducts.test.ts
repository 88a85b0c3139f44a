// The linear layer's products as one backend call (`affineRows`, `linearGrads`): the wasm backend
// copies the shared operand once, sums the bias gradient's columns in wasm and fills the bias rows
// in its own memory, and the values must be those of the `gemm` and `columnSums` calls they
// replace bit for bit, on one thread, split over threads, and in JS.
import { afterAll, describe, expect, it } from "vitest";
import { columnSums, Generator, jsBackend, type Backend } from "@rnnkit/tensor";
// JS, wasm on one thread, and wasm splitting every product or row block of 16 or more over workers.
import { pool, single, threaded } from "./sequenceBackends.js";

afterAll(() => pool.close());

const gen = new Generator(11);
function randn(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gen.normal();
  return out;
}

/** Element-wise identity, signed zero included. */
function expectSame(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) throw new Error(`${what}[${i}]: ${got[i]} vs gemm's ${want[i]}`);
}

const backends: [string, Backend][] = [["wasm, one thread", single], ["wasm, threads", threaded], ["js", jsBackend]];
// (N, I, O): W7's decoder shape shrunk, a wide-output one, one too small for the wasm GEMM, odd
// sizes (rows not a multiple of 8, columns not of 4: the column sums' tails).
const shapes: [number, number, number][] = [[70, 32, 400], [9, 40, 300], [3, 4, 5], [37, 19, 131], [700, 16, 4000]];

describe("affineRows and linearGrads equal their gemm calls", () => {
  for (const [name, be] of backends) {
    for (const [N, I, O] of shapes) {
      it(`${name}: x·Wᵀ + b and the two backward products, N ${N}, I ${I}, O ${O}`, () => {
        const x = randn(N * I);
        const w = randn(O * I);
        const b = randn(O);
        const g = randn(N * O);
        const want = new Float32Array(N * O);
        for (let r = 0; r < N; r++) want.set(b, r * O);
        be.gemm(false, true, N, O, I, 1, x, 0, I, w, 0, I, 1, want, 0, O);
        const out = new Float32Array(N * O).fill(Number.NaN);
        be.affineRows(N, I, O, x, w, b, out);
        expectSame(out, want, "x·Wᵀ + b");
        const plain = new Float32Array(N * O);
        be.gemm(false, true, N, O, I, 1, x, 0, I, w, 0, I, 0, plain, 0, O);
        out.fill(Number.NaN);
        be.affineRows(N, I, O, x, w, null, out);
        expectSame(out, plain, "x·Wᵀ");

        const dxWant = new Float32Array(N * I);
        const dwWant = new Float32Array(O * I);
        be.gemm(false, false, N, I, O, 1, g, 0, O, w, 0, I, 0, dxWant, 0, I);
        be.gemm(true, false, O, I, N, 1, g, 0, O, x, 0, I, 0, dwWant, 0, I);
        const dbWant = new Float32Array(O);
        columnSums(g, N, O, dbWant);
        const dx = new Float32Array(N * I);
        const dw = new Float32Array(O * I);
        const db = new Float32Array(O);
        for (const [wantX, wantW, wantB] of [[true, true, true], [true, true, false], [true, false, true], [false, true, false], [false, false, true]]) {
          const tag = `${wantX ? "dX " : ""}${wantW ? "dW " : ""}${wantB ? "db" : ""}`;
          dx.fill(Number.NaN);
          dw.fill(Number.NaN);
          db.fill(Number.NaN);
          be.linearGrads(N, I, O, g, w, x, wantX ? dx : null, wantW ? dw : null, wantB ? db : null);
          if (wantX) expectSame(dx, dxWant, `${tag}: dX`);
          if (wantW) expectSame(dw, dwWant, `${tag}: dW`);
          if (wantB) expectSame(db, dbWant, `${tag}: db`);
        }
      });
    }
  }
});
