import { allocArray, isFloat, promoteTypes, type DType, type TypedArray } from "../dtype.js";
import { NDArray } from "../ndarray.js";
import { broadcastShapes, numel } from "../shape.js";
import type { BinaryOp, UnaryOp } from "../backend.js";

type Fn1 = (x: number) => number;
type Fn2 = (x: number, y: number) => number;

/** Abramowitz–Stegun 7.1.26 is too coarse for parity; this uses erf's Taylor/continued-fraction split. */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: converges fast for |x| < 2.5 in double precision.
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc, accurate for |x| ≥ 2.5.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

const UNARY: Record<UnaryOp, Fn1> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  relu: (x) => (x > 0 ? x : x !== x ? x : 0),
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  ceil: Math.ceil,
  // torch rounds half to even.
  round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  erf,
  // log(1 + e^x) without overflow, torch's threshold-free form.
  softplus: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  logSigmoid: (x) => (x < 0 ? x - Math.log1p(Math.exp(x)) : -Math.log1p(Math.exp(-x))),
};

/** Unary ops that keep an int32 input int32 (the rest compute in float32). */
const INT_PRESERVING = new Set<UnaryOp>(["neg", "abs", "sign", "square", "relu", "floor", "ceil", "round"]);

const BINARY: Record<BinaryOp, Fn2> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: Math.pow,
  maximum: (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y),
  minimum: (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y),
  atan2: Math.atan2,
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
};

const COMPARISON = new Set<BinaryOp>(["eq", "ne", "lt", "le", "gt", "ge"]);

/** Applies `fn` to every element of `x`, writing a new contiguous array of `dtype`. */
export function map1(x: NDArray, dtype: DType, fn: Fn1): NDArray {
  const out = allocArray(dtype, x.size);
  if (x.isContiguous()) {
    const src = x.data;
    const o = x.offset;
    for (let i = 0; i < out.length; i++) out[i] = fn(src[o + i]!);
  } else {
    let k = 0;
    const src = x.data;
    x.forEachOffset((o) => {
      out[k++] = fn(src[o]!);
    });
  }
  return new NDArray(out, x.shape.slice());
}

/** Applies `fn` pairwise over the broadcast of `a` and `b`, writing a new contiguous array. */
export function map2(a: NDArray, b: NDArray, dtype: DType, fn: Fn2, op: string): NDArray {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const n = numel(shape);
  const out = allocArray(dtype, n);
  const ad = a.data;
  const bd = b.data;
  if (a.isContiguous() && b.isContiguous() && a.size === n && b.size === n) {
    const ao = a.offset;
    const bo = b.offset;
    if (!arith(fn, out, ad, ao, bd, bo, n)) for (let i = 0; i < n; i++) out[i] = fn(ad[ao + i]!, bd[bo + i]!);
    return new NDArray(out, shape);
  }
  // A full contiguous operand and a contiguous one broadcast along leading dims only (a bias
  // row over a batch): walk it row by row, no index bookkeeping.
  if (n > 0 && a.isContiguous() && b.isContiguous() && b.size > 0) {
    if (a.size === n && isTrailing(b.shape, shape)) {
      const w = b.size;
      for (let r = 0; r < n; r += w) {
        if (!arith(fn, out, ad, a.offset, bd, b.offset, w, r)) {
          for (let j = 0; j < w; j++) out[r + j] = fn(ad[a.offset + r + j]!, bd[b.offset + j]!);
        }
      }
      return new NDArray(out, shape);
    }
    if (b.size === n && a.size > 0 && isTrailing(a.shape, shape)) {
      const w = a.size;
      for (let r = 0; r < n; r += w) for (let j = 0; j < w; j++) out[r + j] = fn(ad[a.offset + j]!, bd[b.offset + r + j]!);
      return new NDArray(out, shape);
    }
  }
  if (b.size === 1 && a.isContiguous() && a.size === n) {
    const y = bd[b.offset]!;
    const ao = a.offset;
    for (let i = 0; i < n; i++) out[i] = fn(ad[ao + i]!, y);
    return new NDArray(out, shape);
  }
  if (n === 0) return new NDArray(out, shape);
  const ea = a.expand(shape);
  const eb = b.expand(shape);
  stridedLoop2(shape, ea.strides, ea.offset, eb.strides, eb.offset, (k, oa, ob) => {
    out[k] = fn(ad[oa]!, bd[ob]!);
  });
  return new NDArray(out, shape);
}

/**
 * True when `small` (leading 1s ignored) equals the trailing dims of `shape`, so its elements
 * repeat every `numel(small)` elements of the broadcast result.
 */
function isTrailing(small: readonly number[], shape: readonly number[]): boolean {
  let i = 0;
  while (i < small.length && small[i] === 1) i++;
  const k = small.length - i;
  if (k > shape.length) return false;
  for (let j = 0; j < k; j++) if (small[i + j] !== shape[shape.length - k + j]) return false;
  return true;
}

/**
 * `out[r + i] = fn(a[ao + r + i], b[bo + i])` for i < n as a dedicated loop when `fn` is add,
 * sub, mul or div (no per-element call); false for any other `fn`, which the caller then runs.
 */
function arith(fn: Fn2, out: TypedArray, a: TypedArray, ao: number, b: TypedArray, bo: number, n: number, r = 0): boolean {
  const ar = ao + r;
  const o = r;
  if (fn === BINARY.add) for (let i = 0; i < n; i++) out[o + i] = a[ar + i]! + b[bo + i]!;
  else if (fn === BINARY.sub) for (let i = 0; i < n; i++) out[o + i] = a[ar + i]! - b[bo + i]!;
  else if (fn === BINARY.mul) for (let i = 0; i < n; i++) out[o + i] = a[ar + i]! * b[bo + i]!;
  else if (fn === BINARY.div) for (let i = 0; i < n; i++) out[o + i] = a[ar + i]! / b[bo + i]!;
  else return false;
  return true;
}

/** Walks `shape` in row-major order, calling `fn(k, offsetA, offsetB)` for element k. */
export function stridedLoop2(
  shape: readonly number[],
  sa: readonly number[],
  oa0: number,
  sb: readonly number[],
  ob0: number,
  fn: (k: number, oa: number, ob: number) => void,
): void {
  const nd = shape.length;
  const n = numel(shape);
  if (nd === 0) {
    fn(0, oa0, ob0);
    return;
  }
  const last = nd - 1;
  const len = shape[last]!;
  const sal = sa[last]!;
  const sbl = sb[last]!;
  const idx = new Array<number>(nd).fill(0);
  let oa = oa0;
  let ob = ob0;
  for (let k = 0; k < n; ) {
    for (let j = 0, pa = oa, pb = ob; j < len; j++, pa += sal, pb += sbl) fn(k++, pa, pb);
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      oa += sa[d]!;
      ob += sb[d]!;
      if (idx[d]! < shape[d]!) break;
      oa -= sa[d]! * shape[d]!;
      ob -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function unary(op: UnaryOp, x: NDArray): NDArray {
  const dtype = x.dtype === "int32" && !INT_PRESERVING.has(op) ? "float32" : x.dtype;
  return map1(x, dtype, UNARY[op]);
}

export function binary(op: BinaryOp, a: NDArray, b: NDArray, opName: string = op): NDArray {
  let dtype: DType;
  if (COMPARISON.has(op)) dtype = "int32";
  else {
    dtype = promoteTypes(a.dtype, b.dtype);
    if ((op === "div" || op === "atan2") && !isFloat(dtype)) dtype = "float32";
  }
  if (op === "pow" && dtype === "int32") {
    return map2(a, b, dtype, (x, y) => {
      if (y < 0) throw new Error(`${opName}: integers to negative integer powers are not allowed`);
      return Math.pow(x, y);
    }, opName);
  }
  return map2(a, b, dtype, BINARY[op], opName);
}

export function powScalar(x: NDArray, p: number): NDArray {
  const dtype = x.dtype === "int32" && !(Number.isInteger(p) && p >= 0) ? "float32" : x.dtype;
  if (p === 2) return map1(x, dtype, (v) => v * v);
  if (p === 0.5) return map1(x, dtype, Math.sqrt);
  if (p === 1) return map1(x, dtype, (v) => v);
  return map1(x, dtype, (v) => Math.pow(v, p));
}

export function clamp(x: NDArray, min: number | undefined, max: number | undefined): NDArray {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const dtype = x.dtype === "int32" && !(Number.isInteger(lo) || lo === -Infinity) ? "float32" : x.dtype;
  // torch: clamp(x, min, max) = min(max(x, min), max), NaN propagates.
  return map1(x, dtype, (v) => (v !== v ? v : Math.min(Math.max(v, lo), hi)));
}

export function where(cond: NDArray, a: NDArray, b: NDArray): NDArray {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, "where"), b.shape, "where");
  const dtype = promoteTypes(a.dtype, b.dtype);
  const n = numel(shape);
  const out = allocArray(dtype, n);
  const c = cond.expand(shape).copy("float64").data;
  const av = a.expand(shape).copy(dtype).data;
  const bv = b.expand(shape).copy(dtype).data;
  for (let i = 0; i < n; i++) out[i] = c[i] !== 0 ? av[i]! : bv[i]!;
  return new NDArray(out, shape);
}

export function axpy(a: NDArray, b: NDArray, alpha: number): NDArray {
  if (alpha === 1) return binary("add", a, b);
  return map2(a, b, promoteTypes(a.dtype, b.dtype), (x, y) => x + alpha * y, "add");
}

export function cast(x: NDArray, dtype: DType): NDArray {
  if (dtype === "int32" && x.dtype !== "int32") return map1(x, dtype, Math.trunc);
  return x.copy(dtype);
}

