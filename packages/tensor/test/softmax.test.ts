// Softmax, log-softmax and their one-pass backward on every backend against float64 references:
// rows of widths that are and are not multiples of the f32x4 lane count, a vocabulary-sized row,
// rows of −∞ and huge logits, and a reduced dim that is not last (the wasm backend's fallback).
import { describe, expect, it } from "vitest";
import { Generator, NDArray, jsBackend, wasmBackend, type Backend } from "@rnnkit/tensor";
import { loadWasmKernels } from "../src/wasm/loader.js";
import { createWasmBackend } from "../src/wasm/wasmBackend.js";

const BACKENDS: [string, Backend][] = [
  ["js", jsBackend],
  ["wasm", wasmBackend() ?? jsBackend],
  ["wasm (own memory)", createWasmBackend(loadWasmKernels(false)!, jsBackend)],
];

const gen = new Generator(77);
function randn(n: number, scale = 3): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gen.normal() * scale;
  return out;
}

const EPS = 2 ** -23;

/** Float64 softmax / log-softmax of rows of `cols`. */
function refSoftmax(x: ArrayLike<number>, rows: number, cols: number, log: boolean): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]!);
    if (m === -Infinity) m = 0;
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[r * cols + j]! - m);
    for (let j = 0; j < cols; j++) {
      const v = x[r * cols + j]! - m;
      out[r * cols + j] = log ? v - Math.log(s) : Math.exp(v) / s;
    }
  }
  return out;
}

/** Float64 input gradient from output y and output gradient g (rows of `cols`). */
function refBackward(y: ArrayLike<number>, g: ArrayLike<number>, rows: number, cols: number, log: boolean): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += log ? g[r * cols + j]! : g[r * cols + j]! * y[r * cols + j]!;
    for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      out[i] = log ? g[i]! - Math.exp(y[i]!) * s : y[i]! * (g[i]! - s);
    }
  }
  return out;
}

describe.each(BACKENDS)("softmax kernels: %s backend", (_name, be) => {
  const shapes: [number, number][] = [[1, 1], [3, 5], [64, 7], [20, 64], [7, 4001], [2, 300]];
  for (const log of [false, true]) {
    const op = log ? "logSoftmax" : "softmax";
    for (const [rows, cols] of shapes) {
      it(`${op} of ${rows}×${cols} rows is within a few float32 ulp of float64`, () => {
        const x = randn(rows * cols);
        const got = be.softmax(NDArray.from(x, { shape: [rows, cols] }), 1, log);
        expect(got.shape).toEqual([rows, cols]);
        expect(got.dtype).toBe("float32");
        const want = refSoftmax(x, rows, cols, log);
        const v = got.data;
        for (let i = 0; i < want.length; i++) {
          // log-softmax: x − (max + log Σ), one rounding of a value near |x − max| + log Σ;
          // softmax: e^(x − max) to 1–3 ulp of a float32 shift whose rounding (|x − max|·ε
          // absolute) becomes relative error of e^, then a division. |x − max| ≤ −log p.
          const shift = log ? 0 : Math.max(0, -Math.log(want[i]!));
          const scale = log ? Math.abs(want[i]!) + Math.log(cols) + 1 : Math.abs(want[i]!) * (1 + shift);
          const tol = 8 * EPS * scale + 2 ** -140;
          if (!(Math.abs(v[i]! - want[i]!) <= tol)) throw new Error(`${op}[${i}] = ${v[i]}, want ${want[i]}`);
        }
      });

      it(`${op} backward of ${rows}×${cols} rows matches the float64 formula`, () => {
        const x = randn(rows * cols);
        const y = be.softmax(NDArray.from(x, { shape: [rows, cols] }), 1, log);
        const g = randn(rows * cols, 1);
        const got = be.softmaxBackward(y, NDArray.from(g, { shape: [rows, cols] }), 1, log);
        expect(got.shape).toEqual([rows, cols]);
        const want = refBackward(y.data, g, rows, cols, log);
        for (let r = 0; r < rows; r++) {
          let gs = 0;
          for (let j = 0; j < cols; j++) gs += Math.abs(g[r * cols + j]!) * (log ? 1 : Math.abs(y.data[r * cols + j]!));
          for (let j = 0; j < cols; j++) {
            const i = r * cols + j;
            // Σ rounded once to float32, e^y to a few ulp, then a product and a difference.
            // e^y of a float32 y: |y|·ε relative from y's own rounding, plus the exp's few ulp.
            const p = log ? Math.exp(y.data[i]!) * (1 + Math.abs(y.data[i]!)) : Math.abs(y.data[i]!);
            const tol = 8 * EPS * (Math.abs(g[i]!) * (log ? 1 : p) + p * gs) + 2 ** -140;
            if (!(Math.abs(got.data[i]! - want[i]!) <= tol)) throw new Error(`${op} backward [${r}, ${j}] = ${got.data[i]}, want ${want[i]}`);
          }
        }
      });
    }

    it(`${op}: a row of −∞ and a row of huge logits stay finite where torch's do`, () => {
      const cols = 9;
      const x = new Float32Array(2 * cols);
      x.fill(-Infinity, 0, cols);
      for (let j = 0; j < cols; j++) x[cols + j] = 1e30 * (j === 4 ? 1 : 0.5);
      const got = be.softmax(NDArray.from(x, { shape: [2, cols] }), 1, log).data;
      // All −∞: torch gives NaN (−∞ − −∞); huge logits: the max's class takes everything.
      for (let j = 0; j < cols; j++) expect(Number.isNaN(got[j]!)).toBe(true);
      for (let j = 0; j < cols; j++) {
        if (log) expect(got[cols + j]).toBe(Math.fround(x[cols + j]! - x[cols + 4]!));
        else expect(got[cols + j]).toBe(j === 4 ? 1 : 0);
      }
    });

    it(`${op} over a dim that is not last agrees with the transposed computation`, () => {
      const x = NDArray.from(randn(6 * 300), { shape: [300, 6] });
      const a = be.softmax(x, 0, log);
      const b = be.softmax(x.transpose(0, 1).contiguous(), 1, log).transpose(0, 1).contiguous();
      const g = NDArray.from(randn(6 * 300), { shape: [300, 6] });
      const da = be.softmaxBackward(a, g, 0, log);
      const db = be.softmaxBackward(b.transpose(0, 1).contiguous(), g.transpose(0, 1).contiguous(), 1, log).transpose(0, 1).contiguous();
      // The two may take different kernels (strided rows fall back to the JS loops): a few ulp apart.
      for (const [p, q] of [[a, b], [da, db]] as const) {
        for (let i = 0; i < p.size; i++) {
          const mag = Math.abs(q.data[i]!);
          // As above: a log-softmax value carries the shift's rounding; a probability (and its
          // gradient) the relative error of e^ of a shift up to −log p (≤ 40 here).
          const tol = 16 * EPS * (log ? mag + Math.log(300) + 40 : mag * 40) + 2 ** -140;
          if (!(Math.abs(p.data[i]! - q.data[i]!) <= tol)) throw new Error(`${op} [${i}]: ${p.data[i]} vs ${q.data[i]}`);
        }
      }
    });
  }
});
