import { allocArray, promoteTypes } from "../dtype.js";
import { NDArray } from "../ndarray.js";
import { fmt, normDim, numel } from "../shape.js";

function checkIndex(op: string, index: NDArray, arg = "index"): Int32Array {
  if (index.dtype !== "int32") {
    throw new Error(`${op}: ${arg} must be an int32 tensor, got ${index.dtype} (shape ${fmt(index.shape)})`);
  }
  return index.flat() as Int32Array;
}

/** `i` itself when it is a valid index; negative indices are out of range, as in torch's indexing ops. */
function inBounds(op: string, i: number, size: number, dim: number): number {
  if (i < 0 || i >= size) throw new Error(`${op}: index ${i} is out of bounds for dim ${dim} with size ${size}`);
  return i;
}

/** outer × size × inner view of a contiguous copy along `dim`. */
function split(shape: readonly number[], dim: number) {
  return {
    outer: numel(shape.slice(0, dim)),
    size: shape[dim]!,
    inner: numel(shape.slice(dim + 1)),
  };
}

export function indexSelect(x: NDArray, dim0: number, index: NDArray): NDArray {
  const dim = normDim(dim0, x.ndim, "indexSelect");
  if (index.ndim > 1) throw new Error(`indexSelect: index must be 0-D or 1-D, got shape ${fmt(index.shape)}`);
  const idx = checkIndex("indexSelect", index);
  const src = x.flat();
  const xs = x.ndim === 0 ? { outer: 1, size: 1, inner: 1 } : split(x.shape, dim);
  const shape = x.ndim === 0 ? [] : x.shape.slice();
  if (x.ndim > 0) shape[dim] = idx.length;
  const out = allocArray(x.dtype, numel(shape));
  const { outer, size, inner } = xs;
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < idx.length; t++) {
      const j = inBounds("indexSelect", idx[t]!, size, dim);
      const from = (o * size + j) * inner;
      const to = (o * idx.length + t) * inner;
      for (let q = 0; q < inner; q++) out[to + q] = src[from + q]!;
    }
  }
  return new NDArray(out, shape);
}

export function indexAdd(x: NDArray, dim0: number, index: NDArray, src: NDArray): NDArray {
  const dim = normDim(dim0, x.ndim, "indexAdd");
  const idx = checkIndex("indexAdd", index);
  const want = x.shape.slice();
  if (x.ndim > 0) want[dim] = idx.length;
  if (numel(want) !== src.size || (src.ndim > 0 && src.shape.some((s, i) => s !== want[i]))) {
    throw new Error(`indexAdd: source shape ${fmt(src.shape)} does not match ${fmt(want)} (self ${fmt(x.shape)}, ${idx.length} indices on dim ${dim})`);
  }
  const out = x.copy(promoteTypes(x.dtype, src.dtype));
  const s = src.flat();
  const { outer, size, inner } = x.ndim === 0 ? { outer: 1, size: 1, inner: 1 } : split(x.shape, dim);
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < idx.length; t++) {
      const j = inBounds("indexAdd", idx[t]!, size, dim);
      const to = (o * size + j) * inner;
      const from = (o * idx.length + t) * inner;
      for (let q = 0; q < inner; q++) out.data[to + q]! += s[from + q]!;
    }
  }
  return out;
}

function checkGatherShapes(op: string, x: NDArray, dim: number, index: NDArray): void {
  if (index.ndim !== x.ndim) {
    throw new Error(`${op}: index ${fmt(index.shape)} must have as many dims as input ${fmt(x.shape)}`);
  }
  for (let d = 0; d < x.ndim; d++) {
    if (d !== dim && index.shape[d]! > x.shape[d]!) {
      throw new Error(`${op}: index ${fmt(index.shape)} is larger than input ${fmt(x.shape)} at dim ${d}`);
    }
  }
}

/** Calls fn(indexFlatPos, xOffsetWithoutDim, coordinate list) for every element of `index`. */
function walkIndex(x: NDArray, index: NDArray, dim: number, fn: (k: number, base: number) => void): void {
  const nd = index.ndim;
  const xs = x.ndim === 0 ? [] : x.shape.map((_, i) => numel(x.shape.slice(i + 1)));
  const n = index.size;
  const coord = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    let base = 0;
    for (let d = 0; d < nd; d++) if (d !== dim) base += coord[d]! * xs[d]!;
    fn(k, base);
    for (let d = nd - 1; d >= 0; d--) {
      if (++coord[d]! < index.shape[d]!) break;
      coord[d] = 0;
    }
  }
}

export function gather(x: NDArray, dim0: number, index: NDArray): NDArray {
  const dim = normDim(dim0, Math.max(x.ndim, 1), "gather");
  const idx = checkIndex("gather", index);
  checkGatherShapes("gather", x, dim, index);
  const src = x.flat();
  const size = x.ndim === 0 ? 1 : x.shape[dim]!;
  const stride = x.ndim === 0 ? 1 : numel(x.shape.slice(dim + 1));
  const out = allocArray(x.dtype, index.size);
  walkIndex(x, index, dim, (k, base) => {
    out[k] = src[base + inBounds("gather", idx[k]!, size, dim) * stride]!;
  });
  return new NDArray(out, index.shape.slice());
}

export function scatterAdd(x: NDArray, dim0: number, index: NDArray, src: NDArray): NDArray {
  const dim = normDim(dim0, Math.max(x.ndim, 1), "scatterAdd");
  const idx = checkIndex("scatterAdd", index);
  checkGatherShapes("scatterAdd", x, dim, index);
  if (src.ndim !== index.ndim || index.shape.some((s, d) => s > src.shape[d]!)) {
    throw new Error(`scatterAdd: src ${fmt(src.shape)} must be at least as large as index ${fmt(index.shape)} in every dim`);
  }
  const out = x.copy(promoteTypes(x.dtype, src.dtype));
  const size = x.ndim === 0 ? 1 : x.shape[dim]!;
  const stride = x.ndim === 0 ? 1 : numel(x.shape.slice(dim + 1));
  // src may be larger than index: read it through a view of index's shape.
  const s = new NDArray(src.data, index.shape.slice(), src.strides, src.offset).flat();
  walkIndex(x, index, dim, (k, base) => {
    out.data[base + inBounds("scatterAdd", idx[k]!, size, dim) * stride]! += s[k]!;
  });
  return out;
}

export function cat(xs: readonly NDArray[], dim0: number): NDArray {
  if (xs.length === 0) throw new Error("cat: expected a non-empty list of tensors");
  // torch skips legacy empty 1-D tensors of shape [0].
  const parts = xs.filter((x) => !(x.ndim === 1 && x.size === 0));
  if (parts.length === 0) return xs[0]!.copy();
  const first = parts[0]!;
  if (first.ndim === 0) throw new Error("cat: zero-dimensional tensor cannot be concatenated");
  const dim = normDim(dim0, first.ndim, "cat");
  let dtype = first.dtype;
  let total = 0;
  for (const [i, x] of parts.entries()) {
    if (x.ndim !== first.ndim || x.shape.some((s, d) => d !== dim && s !== first.shape[d])) {
      throw new Error(`cat: tensor ${i} has shape ${fmt(x.shape)}, which does not match ${fmt(first.shape)} outside dim ${dim}`);
    }
    dtype = promoteTypes(dtype, x.dtype);
    total += x.shape[dim]!;
  }
  const shape = first.shape.slice();
  shape[dim] = total;
  const out = allocArray(dtype, numel(shape));
  const outer = numel(shape.slice(0, dim));
  const inner = numel(shape.slice(dim + 1));
  let at = 0;
  for (const x of parts) {
    const src = x.flat();
    const w = x.shape[dim]! * inner;
    for (let o = 0; o < outer; o++) {
      const to = o * total * inner + at;
      const from = o * w;
      for (let q = 0; q < w; q++) out[to + q] = src[from + q]!;
    }
    at += w;
  }
  return new NDArray(out, shape);
}

export function flip(x: NDArray, dims: readonly number[]): NDArray {
  let offset = x.offset;
  const strides = x.strides.slice();
  for (const raw of dims) {
    const d = normDim(raw, x.ndim, "flip");
    if (x.shape[d]! > 0) offset += (x.shape[d]! - 1) * strides[d]!;
    strides[d] = -strides[d]!;
  }
  return new NDArray(x.data, x.shape.slice(), strides, offset).copy();
}

export function oneHot(index: NDArray, numClasses: number): NDArray {
  const idx = checkIndex("oneHot", index, "tensor");
  let c = numClasses;
  if (c === -1) c = idx.reduce((m, v) => Math.max(m, v + 1), 0);
  if (!Number.isInteger(c) || c < 0) throw new Error(`oneHot: numClasses must be a non-negative integer, got ${numClasses}`);
  const out = new Int32Array(idx.length * c);
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= c) throw new Error(`oneHot: class value ${v} is out of range for numClasses ${c}`);
    out[i * c + v] = 1;
  }
  return new NDArray(out, [...index.shape, c]);
}
