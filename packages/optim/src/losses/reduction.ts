import { Tensor } from "@rnnkit/autograd";
import { broadcastShapes, fmt } from "@rnnkit/tensor";

/** How a loss combines its per-element values: kept (`none`), averaged or summed. */
export type Reduction = "none" | "mean" | "sum";

/** Options every loss takes. */
export interface ReductionOptions {
  /** `mean` (default), `sum` or `none`. */
  reduction?: Reduction;
}

/** Checks `reduction` is one of torch's three names. */
export function checkReduction(op: string, reduction: string): Reduction {
  if (reduction !== "none" && reduction !== "mean" && reduction !== "sum") {
    throw new Error(`${op}: reduction must be "none", "mean" or "sum", got "${reduction}"`);
  }
  return reduction;
}

/** Applies an elementwise reduction: the mean over every element, the sum, or nothing. */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return loss;
  return reduction === "sum" ? loss.sum() : loss.mean();
}

/** Throws unless `t` is a floating-point tensor. */
export function checkFloat(op: string, arg: string, t: Tensor): void {
  if (t.dtype === "int32") {
    throw new Error(`${op}: ${arg} must be a floating-point tensor, got int32 with shape ${fmt(t.shape)}`);
  }
}

/** Throws unless `a` and `b` have the same shape. */
export function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  const same = input.shape.length === target.shape.length && input.shape.every((s, i) => s === target.shape[i]);
  if (!same) {
    throw new Error(`${op}: target shape ${fmt(target.shape)} must match input shape ${fmt(input.shape)}`);
  }
}

/** Throws, naming `op`, unless input and target broadcast together (torch's elementwise losses). */
export function checkBroadcast(op: string, input: Tensor, target: Tensor): void {
  try {
    broadcastShapes(input.shape, target.shape, op);
  } catch {
    throw new Error(`${op}: target shape ${fmt(target.shape)} cannot be broadcast with input shape ${fmt(input.shape)}`);
  }
}

/** Throws unless `input` and `target` are tensors, naming the loss and what was passed instead. */
export function checkTensorArgs(op: string, input: unknown, target: unknown): void {
  for (const [name, v] of [["input", input], ["target", target]] as const) {
    if (!(v instanceof Tensor)) {
      const got = v === null ? "null" : v === undefined ? "undefined" : Array.isArray(v) ? "an array" : typeof v;
      const hint = name === "target" ? "; class indices go in an int32 tensor: tensor([1, 0], { dtype: \"int32\" })" : "";
      throw new Error(`${op}: ${name} must be a Tensor, got ${got}${hint}`);
    }
  }
}
