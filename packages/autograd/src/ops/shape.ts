import { backend, fmt, NDArray, normDim } from "@rnnkit/tensor";
import { defineOp, needsGrad, record } from "../defineOp.js";
import { sumToShape } from "../gradUtil.js";
import { Tensor } from "../tensor.js";

const reshapeOp = defineOp<{ shape: readonly number[]; op: "reshape" | "view" }>({
  name: "reshape",
  saves: () => [],
  forward: ([x], { shape, op }) => (op === "view" ? x!.view(shape) : x!.reshape(shape, op)),
  backward: ({ inputs: [x] }, g) => [g.reshape(x!.shape)],
});
/** Same elements, new shape (one `-1` is inferred); a view when possible. */
export function reshape(x: Tensor, shape: readonly number[], op: "reshape" | "view" = "reshape"): Tensor {
  return reshapeOp([x], { shape, op });
}
/** Like reshape, but fails instead of copying when the strides do not allow a view. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  return reshapeOp([x], { shape, op: "view" });
}

const permuteOp = defineOp<readonly number[]>({
  name: "permute",
  saves: () => [],
  forward: ([x], perm) => x!.permute(perm),
  backward: ({ args: perm }, g) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      inv[p] = i;
    });
    return [g.permute(inv)];
  },
});
/** Reorders dims: `out.shape[i] = x.shape[dims[i]]` (a view). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw new Error(`permute: number of dims ${dims.length} does not match the input's ${x.ndim} (shape ${fmt(x.shape)})`);
  }
  return permuteOp([x], dims.map((d) => normDim(d, x.ndim, "permute")));
}
/** Swaps two dims (a view). */
export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  if (x.ndim < 2) {
    normDim(d0, x.ndim, "transpose");
    normDim(d1, x.ndim, "transpose");
    return x;
  }
  const a = normDim(d0, x.ndim, "transpose");
  const b = normDim(d1, x.ndim, "transpose");
  const perm = Array.from({ length: x.ndim }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permuteOp([x], perm);
}

/** Removes size-1 dims (all, or the given ones). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const shape = x.value.squeeze(dim).shape;
  return shape.length === x.ndim ? x : reshape(x, shape);
}
/** Inserts a size-1 dim at `dim`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  return reshape(x, x.value.unsqueeze(dim).shape);
}
/** Flattens dims `startDim..endDim` into one. */
export function flatten(x: Tensor, startDim: number, endDim: number): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim(startDim, x.ndim, "flatten");
  const e = normDim(endDim, x.ndim, "flatten");
  if (s > e) throw new Error(`flatten: startDim ${startDim} cannot come after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

const expandOp = defineOp<readonly number[]>({
  name: "expand",
  saves: () => [],
  forward: ([x], shape) => x!.expand(shape),
  backward: ({ inputs: [x] }, g) => [sumToShape(g, x!.shape)],
});
/** Broadcasts size-1 dims to `shape` without copying; `-1` keeps a size. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  return expandOp([x], shape);
}

const contiguousOp = defineOp<void>({
  name: "contiguous",
  saves: () => [],
  forward: ([x]) => x!.copy(),
  backward: (_ctx, g) => [g],
});
/** `x` itself when row-major contiguous, else a contiguous copy (in the graph). @example contiguous(x.t()) */
export function contiguous(x: Tensor): Tensor {
  return x.value.isContiguous() ? x : contiguousOp([x]);
}

const sliceOp = defineOp<{ dim: number; start: number; length: number; step: number }>({
  name: "slice",
  saves: () => [],
  forward: ([x], { dim, start, length, step }) => {
    const v = x!;
    const strides = v.strides.slice();
    const shape = v.shape.slice();
    shape[dim] = length;
    strides[dim] = v.strides[dim]! * step;
    return new NDArray(v.data, shape, strides, v.offset + start * v.strides[dim]!);
  },
  backward: ({ inputs: [x], args: { dim, start, length, step } }, g) => {
    // g goes back to the sliced positions of zeros; written as an indexAdd so it stays
    // differentiable under createGraph (second derivatives through chunk/narrow/select).
    const index = new Int32Array(length);
    for (let i = 0; i < length; i++) index[i] = start + i * step;
    return [new Tensor(NDArray.zeros(x!.shape, g.dtype)).indexAdd(dim, new Tensor(new NDArray(index, [length])), g)];
  },
});
/** `length` elements of `dim` from `start` (a view). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim(dim, x.ndim, "narrow");
  x.value.narrow(d, start, length); // validates
  const s = start < 0 ? start + x.shape[d]! : start;
  return sliceOp([x], { dim: d, start: s, length, step: 1 });
}
/** Python-style slice `start:end:step` along `dim` (a view). */
export function slice(x: Tensor, dim: number, start = 0, end?: number, step = 1): Tensor {
  const d = normDim(dim, x.ndim, "slice");
  const size = x.shape[d]!;
  if (!Number.isInteger(step) || step <= 0) throw new Error(`slice: step must be a positive integer, got ${step}`);
  for (const [name, v] of [["start", start], ["end", end]] as const) {
    if (v !== undefined && v !== null && !Number.isInteger(v)) {
      throw new Error(`slice: ${name} must be an integer (or undefined for the ${name === "start" ? "beginning" : "end"}), got ${String(v)}`);
    }
  }
  const clampIdx = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = clampIdx(start);
  const e = clampIdx(end ?? size);
  const length = e > s ? Math.ceil((e - s) / step) : 0;
  return sliceOp([x], { dim: d, start: s, length, step });
}
/** Picks `index` along `dim`, removing the dim. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw new Error("select: cannot be applied to a 0-d tensor");
  const d = normDim(dim, x.ndim, "select");
  const size = x.shape[d]!;
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(`select: index ${index} is out of range for dim ${d} of size ${size} (shape ${fmt(x.shape)})`);
  }
  return narrow(x, d, index < 0 ? index + size : index, 1).squeeze(d);
}

/** Splits into `chunks` pieces of size ceil(n / chunks) along `dim`. */
export function chunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normDim(dim, x.ndim, "chunk");
  return split(x, Math.ceil(x.shape[d]! / chunks) || 1, d);
}
/** Splits into pieces of `size` (the last may be smaller) or of the listed sizes along `dim`. */
export function split(x: Tensor, size: number | readonly number[], dim: number): Tensor[] {
  const d = normDim(dim, x.ndim, "split");
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof size !== "number" && !Array.isArray(size)) {
    throw new Error(`split: split size must be an integer or an array of sizes, got ${size === null ? "null" : typeof size}`);
  }
  if (typeof size === "number") {
    if (!Number.isInteger(size) || size <= 0) throw new Error(`split: split size must be a positive integer, got ${size}`);
    sizes = [];
    for (let at = 0; at < n; at += size) sizes.push(Math.min(size, n - at));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...size];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw new Error(`split: sizes ${fmt(sizes)} sum to ${total}, but dim ${d} has size ${n}`);
  }
  const out: Tensor[] = [];
  let at = 0;
  for (const s of sizes) {
    const piece = new Tensor(x.value.narrow(d, at, s));
    piece.markViewOf(x);
    // torch refuses recorded in-place ops on the views of a multi-view op.
    piece._multiView = { op: "split", index: out.length };
    out.push(piece);
    at += s;
  }
  // One node for all pieces: its backward is one concatenation (a missing piece's gradient as
  // zeros), where a node per piece would build a full-size zero gradient plus an indexAdd for
  // each. cat is itself an op, so second derivatives go through it under createGraph.
  if (needsGrad([x])) {
    record("split", [x], out, (grads) => {
      const pieces = grads.map((g, i) => g ?? new Tensor(NDArray.zeros(out[i]!.shape, x.dtype)));
      return [pieces.length === 1 ? pieces[0]! : cat(pieces, d)];
    }, []);
  }
  return out;
}
/** Removes `dim`, returning every slice along it. */
export function unbind(x: Tensor, dim: number): Tensor[] {
  const d = normDim(dim, x.ndim, "unbind");
  return Array.from({ length: x.shape[d]! }, (_, i) => {
    const v = select(x, d, i);
    v._multiView = { op: "unbind", index: i };
    return v;
  });
}

const flipOp = defineOp<readonly number[]>({
  name: "flip",
  saves: () => [],
  forward: ([x], dims) => backend().flip(x!, dims),
  backward: ({ args: dims }, g) => [flip(g, dims)],
});
/** Reverses the order of elements along `dims`. */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const ds = dims.map((d) => normDim(d, x.ndim, "flip"));
  if (new Set(ds).size !== ds.length) throw new Error(`flip: dims ${fmt(dims)} name a dim more than once`);
  return flipOp([x], ds);
}

/** Tiles `x` `repeats[i]` times along dim i (extra leading repeats add dims). */
export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.ndim) {
    throw new Error(`repeat: number of repeat dims (${repeats.length}) can not be smaller than the tensor's dims (${x.ndim})`);
  }
  if (repeats.some((r) => !Number.isInteger(r) || r < 0)) throw new Error(`repeat: repeats must be non-negative integers, got ${fmt(repeats)}`);
  const lead = repeats.length - x.ndim;
  const base = reshape(x, [...new Array<number>(lead).fill(1), ...x.shape]);
  // [a, b] repeated [r, s] = expand to [r, a, s, b] then reshape to [r*a, s*b].
  const inter: number[] = [];
  const expanded: number[] = [];
  base.shape.forEach((s, i) => {
    inter.push(1, s);
    expanded.push(repeats[i]!, s);
  });
  return reshape(reshape(base, inter).expand(expanded).contiguous(), base.shape.map((s, i) => s * repeats[i]!));
}

const catOp = defineOp<number>({
  name: "cat",
  saves: () => [],
  forward: (xs, dim) => backend().cat(xs, dim),
  backward: ({ inputs, args: dim }, g) => {
    let at = 0;
    return inputs.map((t) => {
      if (t.ndim === 1 && t.numel() === 0) return null;
      const len = t.shape[dim]!;
      const piece = narrow(g, dim, at, len);
      at += len;
      return piece;
    });
  },
});
/** Joins tensors along an existing dim; all other dims must match. */
export function cat(xs: readonly Tensor[], dim = 0): Tensor {
  checkTensorList(xs, dim, "cat");
  const ref = xs.find((t) => !(t.ndim === 1 && t.numel() === 0)) ?? xs[0]!;
  if (ref.ndim === 0) throw new Error("cat: zero-dimensional tensor cannot be concatenated");
  return catOp(xs, normDim(dim, ref.ndim, "cat"));
}
/** Joins same-shaped tensors along a new dim. */
export function stack(xs: readonly Tensor[], dim = 0): Tensor {
  checkTensorList(xs, dim, "stack");
  const first = xs[0]!;
  xs.forEach((t, i) => {
    if (t.shape.length !== first.shape.length || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new Error(`stack: expects each tensor to be equal size, but got ${fmt(first.shape)} at entry 0 and ${fmt(t.shape)} at entry ${i}`);
    }
  });
  const d = normDim(dim, first.ndim + 1, "stack");
  return cat(xs.map((t) => unsqueeze(t, d)), d);
}

/** cat/stack take one array of tensors (torch takes a sequence), then an integer dim. */
function checkTensorList(xs: unknown, dim: unknown, op: string): void {
  if (xs instanceof Tensor) {
    throw new Error(`${op}: expected an array of tensors, got a Tensor${dim instanceof Tensor ? " and another Tensor" : ""}; write ${op}([a, b], dim) (torch.${op} takes a sequence)`);
  }
  if (!Array.isArray(xs)) throw new Error(`${op}: expected an array of tensors, got ${xs === null ? "null" : typeof xs}; write ${op}([a, b], dim)`);
  if (xs.length === 0) throw new Error(`${op}: expected a non-empty list of tensors`);
  xs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${op}: expected a Tensor at entry ${i} of the list, got ${t === null ? "null" : Array.isArray(t) ? "an array" : typeof t}`);
  });
  if (typeof dim !== "number") throw new Error(`${op}: dim must be an integer, got ${dim instanceof Tensor ? "a Tensor" : typeof dim}`);
}
