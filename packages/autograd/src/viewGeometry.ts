import { fmt, NDArray } from "@rnnkit/tensor";

/**
 * A storage's version counter (torch's `_version`), shared by a tensor, its views and its
 * `detach()`ed aliases: every in-place write adds one, and remembers which op wrote last so a
 * stale saved value can be named at backward.
 */
export class VersionCounter {
  value = 0;
  lastOp = "";
  bump(op: string): void {
    this.value++;
    this.lastOp = op;
  }
}

/** Writes `src` (same shape) into `dst`'s elements, strides and all: a write-through to `dst`'s storage. */
export function writeInto(dst: NDArray, src: NDArray): void {
  const n = dst.size;
  if (n === 0) return;
  const values = src.flat();
  if (dst.isContiguous()) {
    if (values.length === n && dst.data.constructor === values.constructor) dst.data.set(values, dst.offset);
    else for (let k = 0; k < n; k++) dst.data[dst.offset + k] = values[k]!;
    return;
  }
  const data = dst.data;
  let k = 0;
  dst.forEachOffset((o) => {
    data[o] = values[k++]!;
  });
}

/** True when two elements of `v` share a storage slot (a stride-0 dim of size > 1, as `expand` makes). */
export function hasInternalOverlap(v: NDArray): boolean {
  for (let d = 0; d < v.shape.length; d++) if (v.strides[d] === 0 && v.shape[d]! > 1) return true;
  return false;
}

/**
 * For each element of `view` (row-major), its row-major position in `base`, both over the same
 * storage. Lets a write through a view be mapped onto the base's gradient.
 */
export function viewPositions(view: NDArray, base: NDArray): Int32Array {
  if (view.data !== base.data) throw new Error("viewPositions: the view does not share its base's storage");
  const out = new Int32Array(view.size);
  let k = 0;
  if (base.isContiguous()) {
    view.forEachOffset((o) => {
      out[k++] = o - base.offset;
    });
  } else {
    const where = new Map<number, number>();
    let i = 0;
    base.forEachOffset((o) => {
      if (!where.has(o)) where.set(o, i);
      i++;
    });
    view.forEachOffset((o) => {
      const p = where.get(o);
      if (p === undefined) throw new Error(`viewPositions: a view element lies outside its base (shape ${fmt(base.shape)})`);
      out[k++] = p;
    });
  }
  return out;
}
