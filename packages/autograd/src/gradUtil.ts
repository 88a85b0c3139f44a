import { backend } from "@rnnkit/tensor";
import { isGradEnabled } from "./gradMode.js";
import { Tensor } from "./tensor.js";

/** The mark `freshGrad` sets: a field of every Tensor (a flag, cheaper than a WeakSet on hot paths). */
type Marked = { _fresh: boolean };

/**
 * Marks `t` as a gradient its backward rule has just allocated and shares with no other tensor,
 * so the engine may make it a leaf's `.grad` as it is instead of copying it. Returns `t`.
 * @example return [freshGrad(new Tensor(new NDArray(dw, [n, k])))];
 */
export function freshGrad(t: Tensor): Tensor {
  (t as unknown as Marked)._fresh = true;
  return t;
}

/** True (once) when `t` was marked by `freshGrad`: the caller takes it over. */
export function takeFresh(t: Tensor): boolean {
  const m = t as unknown as Marked;
  const was = m._fresh;
  m._fresh = false;
  return was;
}

/** `a + b` for gradient accumulation; recorded only when building a higher-order graph. */
export function addGrad(a: Tensor | null, b: Tensor): Tensor {
  if (a === null) return b;
  if (isGradEnabled() && (a.requiresGrad || b.requiresGrad)) return a.add(b);
  return new Tensor(backend().binary("add", a.value, b.value));
}

/**
 * Undoes broadcasting in backward: sums `g` over the dims that broadcasting added or expanded
 * so the result has `shape`.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  const gs = g.shape;
  if (gs.length === shape.length) {
    let same = true;
    for (let i = 0; i < gs.length && same; i++) same = gs[i] === shape[i];
    if (same) return g;
  }
  const lead = gs.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < gs.length; i++) {
    if (i < lead) dims.push(i);
    else if (shape[i - lead] === 1 && gs[i] !== 1) dims.push(i);
  }
  let r = dims.length > 0 ? g.sum(dims, true) : g;
  if (lead > 0) r = r.reshape(shape);
  return r;
}
