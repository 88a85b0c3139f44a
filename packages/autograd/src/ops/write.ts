import { broadcastShapes, contiguousStrides, fmt, NDArray, normDim, numel } from "@rnnkit/tensor";
import { defineOp } from "../defineOp.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { expand } from "./shape.js";
import { where } from "./elementwise.js";
import { requireIndex, requireTensor } from "./checks.js";

// The out-of-place forms of torch's item-assignment ops (index_put, scatter, index_fill,
// masked_fill with a tensor value); the Tensor's `*_` methods run them in place.

/** `v` as a tensor of `like`'s dtype (numbers become 0-d tensors). */
function valueTensor(v: TensorLike, like: Tensor, op: string): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v !== "number") throw new Error(`${op}: value must be a number or a Tensor, got ${typeof v}`);
  return new Tensor(NDArray.scalar(v, like.dtype));
}

/** An int32 index tensor's values, negatives wrapped, each checked against `size`. */
function checkedIndex(index: Tensor, size: number, dim: number, op: string): Int32Array {
  if (index.dtype !== "int32") throw new Error(`${op}: indices must be int32 tensors, got ${index.dtype} (shape ${fmt(index.shape)})`);
  const flat = Int32Array.from(index.value.flat());
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (v < -size || v >= size) throw new Error(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
    if (v < 0) flat[i] = v + size;
  }
  return flat;
}

const indexPutOp = defineOp<{ rows: Int32Array; rowSize: number; accumulate: boolean }>({
  name: "indexPut",
  saves: () => [],
  forward: ([x, v], { rows, rowSize, accumulate }) => {
    const out = x!.copy();
    const o = out.data;
    const vals = v!.flat();
    for (let n = 0; n < rows.length; n++) {
      const at = rows[n]! * rowSize;
      const from = n * rowSize;
      if (accumulate) for (let r = 0; r < rowSize; r++) o[at + r] = o[at + r]! + vals[from + r]!;
      else for (let r = 0; r < rowSize; r++) o[at + r] = vals[from + r]!;
    }
    return out;
  },
  backward: ({ inputs: [x, v], args: { rows, rowSize, accumulate } }, g) => {
    const P = x!.numel() / Math.max(rowSize, 1);
    const g2 = g.reshape([P, rowSize]);
    const rowsT = new Tensor(new NDArray(rows, [rows.length]));
    let gx = g;
    if (!accumulate) {
      // Overwritten rows get no gradient: their old values are gone.
      const keep = NDArray.full([P, 1], 1, g.dtype);
      for (const r of rows) keep.data[r] = 0;
      gx = g2.mul(new Tensor(keep)).reshape(x!.shape);
    }
    return [gx, g2.indexSelect(0, rowsT).reshape(v!.shape)];
  },
});

/**
 * `x` with `x[indices] = values` (torch.index_put): `indices` index the leading dims (int32
 * tensors broadcast together, or numbers); `values` broadcast to `[...indexShape, ...x.shape[k:]]`.
 * With `accumulate`, values add and repeated indices sum; otherwise the last write wins.
 * @example indexPut(zeros([3, 4]), [tensor([0, 2], { dtype: "int32" })], tensor([1, 2, 3, 4])) // rows 0 and 2 set
 */
export function indexPut(x: Tensor, indices: readonly (Tensor | number)[], values: TensorLike, accumulate = false): Tensor {
  const op = "indexPut";
  if (!Array.isArray(indices)) throw new Error(`${op}: indices must be an array of int32 tensors or numbers (one per leading dim)`);
  if (indices.length === 0) throw new Error(`${op}: expected at least one index`);
  if (indices.length > x.ndim) throw new Error(`${op}: too many indices for tensor of dimension ${x.ndim} (got ${indices.length})`);
  const k = indices.length;
  const idx = indices.map((i, d) => {
    const t = typeof i === "number" ? new Tensor(NDArray.scalar(i, "int32")) : i;
    if (!(t instanceof Tensor)) throw new Error(`${op}: index ${d} must be an int32 tensor or a number, got ${typeof i}`);
    return t;
  });
  let ishape: number[] = [];
  for (const t of idx) ishape = broadcastShapes(ishape, t.shape, op);
  const rest = x.shape.slice(k);
  const resultShape = [...ishape, ...rest];
  const n = numel(ishape);
  const rows = new Int32Array(n);
  const lead = contiguousStrides(x.shape.slice(0, k));
  idx.forEach((t, d) => {
    const flat = checkedIndex(t, x.shape[d]!, d, op);
    const b = new NDArray(flat, t.shape).expand(ishape).flat();
    for (let i = 0; i < n; i++) rows[i] = rows[i]! + b[i]! * lead[d]!;
  });
  const v = valueTensor(values, x, op);
  try {
    broadcastShapes(v.shape, resultShape, op);
    if (v.ndim > resultShape.length) throw new Error("too many dims");
    v.value.expand(resultShape);
  } catch {
    throw new Error(`${op}: shape mismatch: value tensor of shape ${fmt(v.shape)} cannot be broadcast to indexing result of shape ${fmt(resultShape)}`);
  }
  const vx = expand(v.dtype === x.dtype ? v : v.to(x.dtype), resultShape);
  return indexPutOp([x, vx], { rows, rowSize: numel(rest), accumulate });
}

/** Storage offsets in contiguous `x` (target) and in `src` of every element of `index`, dim `dim` redirected by the index. */
function scatterPlan(xShape: readonly number[], dim: number, index: Tensor, srcShape: readonly number[], op: string): { to: Int32Array; from: Int32Array } {
  const nd = xShape.length;
  if (index.ndim !== nd || srcShape.length !== nd) {
    throw new Error(`${op}: index ${fmt(index.shape)} and src ${fmt(srcShape)} must have as many dims as self ${fmt(xShape)}`);
  }
  for (let d = 0; d < nd; d++) {
    const s = index.shape[d]!;
    if (s > srcShape[d]! || (d !== dim && s > xShape[d]!)) {
      throw new Error(`${op}: expected index ${fmt(index.shape)} to be no larger than self ${fmt(xShape)} apart from dimension ${dim} and to be no larger than src ${fmt(srcShape)}`);
    }
  }
  const values = checkedIndex(index, xShape[dim]!, dim, op);
  const xs = contiguousStrides(xShape);
  const ss = contiguousStrides(srcShape);
  const n = values.length;
  const to = new Int32Array(n);
  const from = new Int32Array(n);
  const coord = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i++) {
    let t = 0;
    let f = 0;
    for (let d = 0; d < nd; d++) {
      t += (d === dim ? values[i]! : coord[d]!) * xs[d]!;
      f += coord[d]! * ss[d]!;
    }
    to[i] = t;
    from[i] = f;
    for (let d = nd - 1; d >= 0; d--) {
      if (++coord[d]! < index.shape[d]!) break;
      coord[d] = 0;
    }
  }
  return { to, from };
}

const scatterOp = defineOp<{ to: Int32Array; from: Int32Array; reduce: "add" | "multiply" | null }>({
  name: "scatter",
  saves: () => [],
  forward: ([x, src], { to, from, reduce }) => {
    const out = x!.copy();
    const o = out.data;
    const s = src!.flat();
    for (let i = 0; i < to.length; i++) {
      const t = to[i]!;
      const v = s[from[i]!]!;
      o[t] = reduce === "add" ? o[t]! + v : reduce === "multiply" ? o[t]! * v : v;
    }
    return out;
  },
  backward: ({ inputs: [x, src], args: { to, from, reduce } }, g) => {
    if (reduce !== null) throw new Error(`scatter: the derivative for scatter with reduce="${reduce}" is not implemented (as in torch); use scatterAdd`);
    const keep = NDArray.full([x!.numel()], 1, g.dtype);
    for (const t of to) keep.data[t] = 0;
    const gx = g.reshape([x!.numel()]).mul(new Tensor(keep)).reshape(x!.shape);
    // src's entries outside the index get no gradient.
    const gs = new Tensor(NDArray.zeros([src!.numel()], g.dtype)).indexAdd(
      0,
      new Tensor(new NDArray(from, [from.length])),
      g.reshape([g.numel()]).indexSelect(0, new Tensor(new NDArray(to, [to.length]))),
    );
    return [gx, gs.reshape(src!.shape)];
  },
});

/**
 * `x` with `src` written at `index` along `dim` (torch.scatter): `out[i][index[i][j]] = src[i][j]`
 * for dim 1; `src` may be a number. `reduce` "add" or "multiply" combines instead of overwriting
 * (not differentiable, as torch's).
 * @example scatter(zeros([2, 3]), 1, tensor([[2], [0]], { dtype: "int32" }), 1) // one-hot rows
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorLike, reduce?: "add" | "multiply"): Tensor {
  const op = "scatter";
  if (!(index instanceof Tensor)) throw new Error(`${op}: index must be an int32 Tensor`);
  if (reduce !== undefined && reduce !== "add" && reduce !== "multiply") throw new Error(`${op}: reduce must be "add" or "multiply", got ${String(reduce)}`);
  const d = normDim(dim, Math.max(x.ndim, 1), op);
  const s = typeof src === "number" ? new Tensor(NDArray.full(index.shape, src, x.dtype)) : valueTensor(src, x, op);
  const { to, from } = scatterPlan(x.shape, d, index, s.shape, op);
  return scatterOp([x, s.dtype === x.dtype ? s : s.to(x.dtype)], { to, from, reduce: reduce ?? null });
}

/**
 * `x` with the slices `index` along `dim` set to `value` (torch.index_fill); a 0-d tensor value
 * receives the gradient of every filled element.
 * @example indexFill(zeros([3, 4]), 1, tensor([0, 2], { dtype: "int32" }), 5)
 */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: TensorLike): Tensor {
  const op = "indexFill";
  requireIndex(index, op);
  const d = normDim(dim, Math.max(x.ndim, 1), op);
  if (index.ndim > 1) throw new Error(`${op}: index must be 0-d or 1-d, got shape ${fmt(index.shape)}`);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  const mask = new Int32Array(size);
  for (const i of checkedIndex(index, size, d, op)) mask[i] = 1;
  const shape = x.shape.map((s, j) => (j === d ? s : 1));
  return maskedWrite(x, new Tensor(new NDArray(mask, shape)), value, op);
}

/** `x` with `value` where `mask` (int32 0/1, broadcast to x) is non-zero; a 0-d tensor value is differentiable. */
export function maskedWrite(x: Tensor, mask: Tensor, value: TensorLike, op: string): Tensor {
  requireTensor(mask, op, "mask");
  if (mask.dtype !== "int32") throw new Error(`${op}: mask must be an int32 (0/1) tensor, got ${mask.dtype}`);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new Error(`${op}: only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s)`);
  }
  const v = valueTensor(value, x, op);
  return where(mask, v.dtype === x.dtype ? v : v.to(x.dtype), x);
}
