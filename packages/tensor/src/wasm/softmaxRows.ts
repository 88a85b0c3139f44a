import type { Backend } from "../backend.js";
import { NDArray } from "../ndarray.js";
import { WASM_SOFTMAX_MIN_ELEMENTS } from "../thresholds.js";
import type { WasmKernels } from "./loader.js";
import type { Chunker } from "./threads.js";

/**
 * A row element costs about as much as this many GEMM multiply-adds (the exp polynomial and the
 * float64 sum), so rows are split over threads from the products' split size divided by it.
 */
const MACS_PER_ELEMENT = 8;
/** The argument the thread split fills with a GEMM workspace: past the kernels' own, so unused. */
const UNUSED_ARG = 15;

/** True when `x` is contiguous float32 and `dim` is its last dim (rows are contiguous). */
function rowsFit(x: NDArray, dim: number): boolean {
  return x.dtype === "float32" && x.ndim > 0 && dim === x.ndim - 1 && x.size >= WASM_SOFTMAX_MIN_ELEMENTS && x.isContiguous();
}

/**
 * Softmax, log-softmax and their backward over contiguous float32 rows (`dim` last) in f32x4 wasm
 * code (`softmaxRows`, `softmaxBackRows`), rows split over the worker threads (`chunker`) when
 * there are enough of them; any other layout or dtype runs on `fallback`. Each row is computed
 * whole by one thread, so the result does not depend on the split.
 * @example const { softmax } = wasmSoftmax(kernels, jsBackend, chunker); softmax(x, 1, true)
 */
export function wasmSoftmax(kernels: WasmKernels, fallback: Backend, chunker: Chunker | null = null): Pick<Backend, "softmax" | "softmaxBackward" | "nllLogSoftmaxBackward"> {
  const k = kernels.exports;
  /** Runs `op` over `rows` rows of `cols` whose operands start at the byte addresses `ptrs` (args 0..ptrs.length−1). */
  function byRows(op: "softmaxRows" | "softmaxBackRows", ptrs: readonly number[], rows: number, cols: number, log: boolean): void {
    const threads = chunker ? chunker.threadsFor(rows * cols * MACS_PER_ELEMENT) : 1;
    const args = [...ptrs, rows, cols, log ? 1 : 0];
    if (threads === 1) {
      (k[op] as (...a: number[]) => void)(...args);
      return;
    }
    const rowArg = ptrs.length;
    const vary = ptrs.map((p, i) => [i, p, cols * 4, 0] as const);
    chunker!.chunked(op, args, UNUSED_ARG, threads, rows, 1, [...vary, [rowArg, 0, -1, 1]]);
  }
  return {
    softmax(x, dim, log) {
      if (!rowsFit(x, dim)) return fallback.softmax(x, dim, log);
      const n = x.size;
      const l = kernels.layout([n, n]);
      if (!l) return fallback.softmax(x, dim, log);
      const [px, po] = l.at as [number, number];
      l.mem.set(x.flat() as Float32Array, px >> 2);
      byRows("softmaxRows", [px, po], n / x.shape[dim]!, x.shape[dim]!, log);
      return new NDArray(l.mem.slice(po >> 2, (po >> 2) + n), x.shape.slice());
    },
    softmaxBackward(y, g, dim, log) {
      if (!rowsFit(y, dim) || !rowsFit(g, dim) || y.size !== g.size) return fallback.softmaxBackward(y, g, dim, log);
      const n = y.size;
      const l = kernels.layout([n, n, n]);
      if (!l) return fallback.softmaxBackward(y, g, dim, log);
      const [py, pg, po] = l.at as [number, number, number];
      l.mem.set(y.flat() as Float32Array, py >> 2);
      l.mem.set(g.flat() as Float32Array, pg >> 2);
      byRows("softmaxBackRows", [py, pg, po], n / y.shape[dim]!, y.shape[dim]!, log);
      return new NDArray(l.mem.slice(po >> 2, (po >> 2) + n), y.shape.slice());
    },
    nllLogSoftmaxBackward(y, targets, coef) {
      // Same layouts as softmaxBackward on the one-hot g, so the same inputs take the same path.
      if (!rowsFit(y, 1) || y.ndim !== 2 || !(coef instanceof Float32Array)) return fallback.nllLogSoftmaxBackward(y, targets, coef);
      const n = y.size;
      const [rows, cols] = y.shape as [number, number];
      const l = kernels.layout([n, 2 * rows, n]);
      if (!l) return fallback.nllLogSoftmaxBackward(y, targets, coef);
      const [py, pt, po] = l.at as [number, number, number];
      const pc = pt + rows * 4;
      l.mem.set(y.flat() as Float32Array, py >> 2);
      new Int32Array(l.mem.buffer, pt, rows).set(targets);
      l.mem.set(coef, pc >> 2);
      const threads = chunker ? chunker.threadsFor(n * MACS_PER_ELEMENT) : 1;
      const args = [py, pt, pc, po, rows, cols];
      if (threads === 1) k.nllLogSoftmaxBackRows(py, pt, pc, po, rows, cols);
      else {
        chunker!.chunked("nllLogSoftmaxBackRows", args, UNUSED_ARG, threads, rows, 1, [
          [0, py, cols * 4, 0], [1, pt, 4, 0], [2, pc, 4, 0], [3, po, cols * 4, 0], [4, 0, -1, 1],
        ]);
      }
      return new NDArray(l.mem.slice(po >> 2, (po >> 2) + n), y.shape.slice());
    },
  };
}
