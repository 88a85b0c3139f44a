import type { Backend, BinaryOp, UnaryOp } from "../backend.js";
import { NDArray } from "../ndarray.js";
import { broadcastShapes, numel } from "../shape.js";
import { WASM_ELEMENTWISE_MIN_ELEMENTS } from "../thresholds.js";
import { align, type WasmKernels } from "./loader.js";

/** The kernels' codes of the unary ops they implement. */
export const UNARY_CODE: Partial<Record<UnaryOp, number>> = { exp: 0, tanh: 1, sigmoid: 2, relu: 3 };
const BINARY_CODE: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

/** How an operand feeds a binary op's output: every element, one broadcast row, or one scalar. */
type Feed = "full" | "row" | "scalar";

/** The shape with its leading size-1 dims removed. */
function stripLeadingOnes(shape: readonly number[]): readonly number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** True when `tail` equals the last `tail.length` sizes of `shape`. */
function isSuffix(tail: readonly number[], shape: readonly number[]): boolean {
  if (tail.length > shape.length) return false;
  const off = shape.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (tail[i] !== shape[off + i]) return false;
  return true;
}

/**
 * The hot contiguous float32 elementwise kernels (add, sub, mul, div with row or scalar
 * broadcast, exp, tanh, sigmoid, relu, axpy) in f32x4 code; everything else on `fallback`.
 * @example const { unary } = createElementwise(kernels, jsBackend)
 */
export function createElementwise(kernels: WasmKernels, fallback: Backend): Pick<Backend, "unary" | "binary" | "axpy"> {
  const k = kernels.exports;

  function unary(op: UnaryOp, x: NDArray): NDArray {
    const code = UNARY_CODE[op];
    if (code === undefined || x.dtype !== "float32" || x.size < WASM_ELEMENTWISE_MIN_ELEMENTS) return fallback.unary(op, x);
    const src = x.flat() as Float32Array;
    const n = src.length;
    const base = kernels.scratchBase;
    const mem = kernels.ensure(n * 4);
    if (!mem) return fallback.unary(op, x);
    mem.set(src, base >> 2);
    k.unary(code, base, base, n);
    return new NDArray(mem.slice(base >> 2, (base >> 2) + n), x.shape.slice());
  }

  /** How `x` feeds an output of `shape` (n elements), or null when the kernel cannot walk it. */
  function feedOf(x: NDArray, shape: readonly number[], n: number): Feed | null {
    if (!x.isContiguous()) return null;
    if (x.size === n) return "full";
    if (x.size === 1) return "scalar";
    if (isSuffix(stripLeadingOnes(x.shape), shape)) return "row";
    return null;
  }

  function binary(op: BinaryOp, a: NDArray, b: NDArray, opName: string = op): NDArray {
    const code = BINARY_CODE[op];
    if (code === undefined || a.dtype !== "float32" || b.dtype !== "float32") return fallback.binary(op, a, b, opName);
    const shape = broadcastShapes(a.shape, b.shape, opName);
    const n = numel(shape);
    if (n < WASM_ELEMENTWISE_MIN_ELEMENTS) return fallback.binary(op, a, b, opName);
    const fa = feedOf(a, shape, n);
    const fb = feedOf(b, shape, n);
    if (!fa || !fb) return fallback.binary(op, a, b, opName);
    // The output is viewed as rows × cols where cols is the broadcast row's length (n if none).
    const cols = fa === "row" ? a.size : fb === "row" ? b.size : n;
    const rows = n / cols;
    const base = kernels.scratchBase;
    const pa = base;
    const pb = align(pa + a.size * 4);
    const po = align(pb + b.size * 4);
    const mem = kernels.ensure(po + n * 4 - base);
    if (!mem) return fallback.binary(op, a, b, opName);
    mem.set(a.flat() as Float32Array, pa >> 2);
    mem.set(b.flat() as Float32Array, pb >> 2);
    k.binary(
      code,
      pa, fa === "full" ? cols : 0, fa === "scalar" ? 0 : 1,
      pb, fb === "full" ? cols : 0, fb === "scalar" ? 0 : 1,
      po, rows, cols,
    );
    return new NDArray(mem.slice(po >> 2, (po >> 2) + n), shape);
  }

  function axpy(a: NDArray, b: NDArray, alpha: number): NDArray {
    if (alpha === 1) return binary("add", a, b, "add");
    if (
      a.dtype !== "float32" || b.dtype !== "float32" || a.size < WASM_ELEMENTWISE_MIN_ELEMENTS ||
      a.ndim !== b.ndim || !a.shape.every((s, i) => s === b.shape[i])
    ) {
      return fallback.axpy(a, b, alpha);
    }
    const n = a.size;
    const base = kernels.scratchBase;
    const pa = base;
    const pb = align(pa + n * 4);
    const po = align(pb + n * 4);
    const mem = kernels.ensure(po + n * 4 - base);
    if (!mem) return fallback.axpy(a, b, alpha);
    mem.set(a.flat() as Float32Array, pa >> 2);
    mem.set(b.flat() as Float32Array, pb >> 2);
    k.axpy(pa, pb, alpha, po, n);
    return new NDArray(mem.slice(po >> 2, (po >> 2) + n), a.shape.slice());
  }
  return { unary, binary, axpy };
}
