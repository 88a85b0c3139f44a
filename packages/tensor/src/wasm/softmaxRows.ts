import type { Backend } from "../backend.js";
import { NDArray } from "../ndarray.js";
import { WASM_SOFTMAX_MIN_ELEMENTS } from "../thresholds.js";
import type { WasmKernels } from "./loader.js";

/** True when `x` is contiguous float32 and `dim` is its last dim (rows are contiguous). */
function rowsFit(x: NDArray, dim: number): boolean {
  return x.dtype === "float32" && x.ndim > 0 && dim === x.ndim - 1 && x.size >= WASM_SOFTMAX_MIN_ELEMENTS && x.isContiguous();
}

/**
 * Softmax, log-softmax and their backward over contiguous float32 rows (`dim` last) in f32x4 wasm
 * code (`softmaxRows`, `softmaxBackRows`); any other layout or dtype runs on `fallback`.
 * @example const { softmax } = wasmSoftmax(kernels, jsBackend); softmax(x, 1, true)
 */
export function wasmSoftmax(kernels: WasmKernels, fallback: Backend): Pick<Backend, "softmax" | "softmaxBackward"> {
  const k = kernels.exports;
  return {
    softmax(x, dim, log) {
      if (!rowsFit(x, dim)) return fallback.softmax(x, dim, log);
      const n = x.size;
      const l = kernels.layout([n, n]);
      if (!l) return fallback.softmax(x, dim, log);
      const [px, po] = l.at as [number, number];
      l.mem.set(x.flat() as Float32Array, px >> 2);
      k.softmaxRows(px, po, n / x.shape[dim]!, x.shape[dim]!, log ? 1 : 0);
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
      k.softmaxBackRows(py, pg, po, n / y.shape[dim]!, y.shape[dim]!, log ? 1 : 0);
      return new NDArray(l.mem.slice(po >> 2, (po >> 2) + n), y.shape.slice());
    },
  };
}
