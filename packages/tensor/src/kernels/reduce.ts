import { allocArray, type DType, type TypedArray } from "../dtype.js";
import { NDArray } from "../ndarray.js";
import { numel } from "../shape.js";
import type { ReduceOp } from "../backend.js";

/**
 * Moves `dims` to the end and returns the data as `outer × inner` rows (contiguous), plus the
 * output shape with and without kept dims.
 */
export function toRows(x: NDArray, dims: readonly number[], keepdim: boolean) {
  const set = new Set(dims);
  const keep: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (!set.has(i)) keep.push(i);
  const perm = [...keep, ...dims];
  const rows = x.permute(perm).flat();
  const inner = numel(dims.map((d) => x.shape[d]!));
  const outer = numel(keep.map((d) => x.shape[d]!));
  const shape = keepdim ? x.shape.map((s, i) => (set.has(i) ? 1 : s)) : keep.map((d) => x.shape[d]!);
  return { rows, inner, outer, shape };
}

/**
 * Sum of a contiguous array over a block of adjacent dims that is not trailing (e.g. a bias
 * gradient `(N, F) → (F)`), without the transposed copy `toRows` would make: rows are added
 * into float64 accumulators, as `toRows`'s path does. Null otherwise.
 */
function sumLeadingBlock(x: NDArray, dims: readonly number[], keepdim: boolean): NDArray | null {
  const nd = x.ndim;
  const d0 = dims[0];
  if (d0 === undefined || !x.isContiguous()) return null;
  for (let i = 1; i < dims.length; i++) if (dims[i] !== d0 + i) return null;
  const d1 = d0 + dims.length - 1;
  if (d1 >= nd - 1) return null;
  let pre = 1;
  let red = 1;
  let post = 1;
  for (let i = 0; i < nd; i++) {
    const s = x.shape[i]!;
    if (i < d0) pre *= s;
    else if (i <= d1) red *= s;
    else post *= s;
  }
  const acc = new Float64Array(pre * post);
  const data = x.data;
  for (let p = 0; p < pre; p++) {
    const a0 = p * post;
    let r = 0;
    // Four reduced rows per pass (a quarter of the accumulator traffic). Four float32 or int32
    // values nearly always add exactly in float64, so results match a row-by-row sum.
    for (; r + 4 <= red; r += 4) {
      const base = x.offset + (p * red + r) * post;
      for (let j = 0; j < post; j++) {
        acc[a0 + j]! += data[base + j]! + data[base + post + j]! + data[base + 2 * post + j]! + data[base + 3 * post + j]!;
      }
    }
    for (; r < red; r++) {
      const base = x.offset + (p * red + r) * post;
      for (let j = 0; j < post; j++) acc[a0 + j]! += data[base + j]!;
    }
  }
  const out = allocArray(x.dtype, pre * post);
  out.set(acc);
  const shape = keepdim ? x.shape.map((s, i) => (i >= d0 && i <= d1 ? 1 : s)) : x.shape.filter((_, i) => i < d0 || i > d1);
  return new NDArray(out, shape);
}

export function reduce(op: ReduceOp, x: NDArray, dims: readonly number[], keepdim: boolean): NDArray {
  if (op === "sum") {
    const fast = sumLeadingBlock(x, dims, keepdim);
    if (fast) return fast;
  }
  const { rows, inner, outer, shape } = toRows(x, dims, keepdim);
  if (inner === 0 && (op === "max" || op === "min")) {
    throw new Error(`${op}: cannot reduce over a zero-size dim (input shape [${x.shape.join(", ")}])`);
  }
  const dtype: DType = x.dtype;
  const out = allocArray(dtype, outer);
  for (let r = 0; r < outer; r++) {
    const base = r * inner;
    let acc: number;
    switch (op) {
      case "sum": {
        // Pairwise-free but float64 accumulation: exact enough for float32 data of any length here.
        acc = 0;
        for (let j = 0; j < inner; j++) acc += rows[base + j]!;
        break;
      }
      case "prod": {
        acc = 1;
        for (let j = 0; j < inner; j++) acc *= rows[base + j]!;
        break;
      }
      case "max": {
        acc = -Infinity;
        for (let j = 0; j < inner; j++) {
          const v = rows[base + j]!;
          if (v > acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
        break;
      }
      case "min": {
        acc = Infinity;
        for (let j = 0; j < inner; j++) {
          const v = rows[base + j]!;
          if (v < acc || v !== v) acc = v;
          if (acc !== acc) break;
        }
        break;
      }
    }
    out[r] = acc;
  }
  return new NDArray(out, shape);
}

export function argReduce(op: "argmax" | "argmin", x: NDArray, dim: number, keepdim: boolean): NDArray {
  const { rows, inner, outer, shape } = toRows(x, [dim], keepdim);
  if (inner === 0) throw new Error(`${op}: cannot reduce over a zero-size dim (input shape [${x.shape.join(", ")}])`);
  const out = new Int32Array(outer);
  const better = op === "argmax" ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let r = 0; r < outer; r++) {
    const base = r * inner;
    let best = rows[base]!;
    let bi = 0;
    if (best === best) {
      for (let j = 1; j < inner; j++) {
        const v = rows[base + j]!;
        if (v !== v) {
          bi = j;
          break;
        }
        if (better(v, best)) {
          best = v;
          bi = j;
        }
      }
    }
    out[r] = bi;
  }
  return new NDArray(out, shape);
}

export function logsumexp(x: NDArray, dims: readonly number[], keepdim: boolean): NDArray {
  const { rows, inner, outer, shape } = toRows(x, dims, keepdim);
  const dtype: DType = x.dtype === "int32" ? "float32" : x.dtype;
  const out = allocArray(dtype, outer);
  for (let r = 0; r < outer; r++) {
    const base = r * inner;
    let m = -Infinity;
    for (let j = 0; j < inner; j++) m = Math.max(m, rows[base + j]!);
    if (m === -Infinity || m === Infinity) {
      out[r] = m;
      continue;
    }
    let s = 0;
    for (let j = 0; j < inner; j++) s += Math.exp(rows[base + j]! - m);
    out[r] = m + Math.log(s);
  }
  return new NDArray(out, shape);
}

export function softmax(x: NDArray, dim: number, log: boolean): NDArray {
  const nd = x.ndim;
  if (nd === 0) return softmax(x.reshape([1]), 0, log).reshape([]);
  const { rows, inner, outer } = toRows(x, [dim], false);
  const dtype: DType = x.dtype === "int32" ? "float32" : x.dtype;
  const out = allocArray(dtype, rows.length);
  for (let r = 0; r < outer; r++) {
    const base = r * inner;
    let m = -Infinity;
    for (let j = 0; j < inner; j++) m = Math.max(m, rows[base + j]!);
    if (m === -Infinity) m = 0;
    let s = 0;
    for (let j = 0; j < inner; j++) s += Math.exp(rows[base + j]! - m);
    if (log) {
      const ls = Math.log(s);
      for (let j = 0; j < inner; j++) out[base + j] = rows[base + j]! - m - ls;
    } else {
      for (let j = 0; j < inner; j++) out[base + j] = Math.exp(rows[base + j]! - m) / s;
    }
  }
  return fromRows(out, x.shape, dim);
}

/** Rows laid out with `dim` last (as `toRows` makes them) back in the order of `shape`. */
function fromRows(out: TypedArray, shape: readonly number[], dim: number): NDArray {
  const nd = shape.length;
  if (dim === nd - 1) return new NDArray(out, shape.slice());
  const keep: number[] = [];
  for (let i = 0; i < nd; i++) if (i !== dim) keep.push(i);
  const permShape = [...keep.map((d) => shape[d]!), shape[dim]!];
  const inv = new Array<number>(nd);
  [...keep, dim].forEach((d, i) => {
    inv[d] = i;
  });
  return new NDArray(out, permShape).permute(inv).contiguous();
}

/**
 * The input gradient of `softmax(x, dim, log)` from its output `y` and output gradient `g`
 * (same shape): log-softmax `g − e^y · Σ g`, softmax `y · (g − Σ g·y)`, sums along `dim` in
 * float64 and rounded once, each product and difference rounded to the dtype as separate ops are.
 */
export function softmaxBackward(y: NDArray, g: NDArray, dim: number, log: boolean): NDArray {
  if (y.ndim === 0) return softmaxBackward(y.reshape([1]), g.reshape([1]), 0, log).reshape([]);
  const ys = toRows(y, [dim], false);
  const gs = toRows(g, [dim], false);
  const { inner, outer } = ys;
  const yr = ys.rows;
  const gr = gs.rows;
  const dtype: DType = y.dtype === "float64" || g.dtype === "float64" ? "float64" : "float32";
  const out = allocArray(dtype, yr.length) as Float32Array | Float64Array;
  const round = dtype === "float32" ? Math.fround : (v: number) => v;
  for (let r = 0; r < outer; r++) {
    const base = r * inner;
    let s = 0;
    if (log) for (let j = 0; j < inner; j++) s += gr[base + j]!;
    else for (let j = 0; j < inner; j++) s += round(gr[base + j]! * yr[base + j]!);
    const sr = round(s);
    if (log) for (let j = 0; j < inner; j++) out[base + j] = gr[base + j]! - round(round(Math.exp(yr[base + j]!)) * sr);
    else for (let j = 0; j < inner; j++) out[base + j] = yr[base + j]! * round(gr[base + j]! - sr);
  }
  return fromRows(out, y.shape, dim);
}

/**
 * The log-softmax backward of a one-hot output gradient given by rows (`coef[r]` at `[r, targets[r]]`
 * of `(M, C)`, 0 elsewhere) on contiguous `y` `(M, C)`: `dx = g − e^y · coef[r]`, the values (and zero
 * signs) `softmaxBackward(y, g, 1, true)` gives on that `g`.
 * @example nllLogSoftmaxBackward(logp, new Int32Array([2]), new Float32Array([-1]))
 */
export function nllLogSoftmaxBackward(y: NDArray, targets: Int32Array, coef: Float32Array | Float64Array): NDArray {
  const [M, C] = y.shape as [number, number];
  const yr = y.contiguous().flat();
  const dtype: DType = y.dtype === "float64" ? "float64" : "float32";
  const out = allocArray(dtype, M * C) as Float32Array | Float64Array;
  const round = dtype === "float32" ? Math.fround : (v: number) => v;
  for (let r = 0; r < M; r++) {
    const base = r * C;
    const t = targets[r]!;
    // The row sum of g: 0 plus its single non-zero term.
    const sr = round(0 + coef[r]!);
    for (let j = 0; j < C; j++) {
      const g = j === t ? coef[r]! : 0;
      out[base + j] = g - round(round(Math.exp(yr[base + j]!)) * sr);
    }
  }
  return new NDArray(out, [M, C]);
}
