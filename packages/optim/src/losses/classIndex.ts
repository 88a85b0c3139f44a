import { Tensor } from "@rnnkit/autograd";
import { fmt, NDArray } from "@rnnkit/tensor";

/** The class dim of a loss input: 0 for `(C)`, 1 for `(N, C, d1, ...)`. */
export function classDim(input: Tensor): number {
  return input.ndim === 1 ? 0 : 1;
}

/** Moves the class dim last and flattens the rest: `(C)`, `(N, C, d...)` → `(M, C)`. */
export function flattenClasses(x: Tensor): Tensor {
  if (x.ndim === 1) return x.unsqueeze(0);
  if (x.ndim === 2) return x;
  const perm = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2), 1];
  return x.permute(perm).reshape([-1, x.shape[1]!]);
}

/** Shape of the per-element loss: the input's shape without the class dim. */
export function lossShape(input: Tensor): number[] {
  return input.shape.filter((_, i) => i !== classDim(input));
}

/** Checks the input has a class dim: `(C)`, `(N, C)` or `(N, C, d1, ...)`, floating point. */
export function checkClassInput(op: string, input: Tensor): void {
  if (input.ndim < 1) throw new Error(`${op}: input must be (C), (N, C) or (N, C, d1, ...), got shape ${fmt(input.shape)}`);
  if (input.dtype === "int32") throw new Error(`${op}: input must be a floating-point tensor, got int32 with shape ${fmt(input.shape)}`);
}

/** Checks a class weight is a 1-D tensor with one entry per class. */
export function checkClassWeight(op: string, weight: Tensor | null | undefined, numClasses: number): void {
  if (!weight) return;
  if (weight.ndim !== 1 || weight.shape[0] !== numClasses) {
    throw new Error(`${op}: weight must be 1-D with one entry per class (${numClasses}), got shape ${fmt(weight.shape)}`);
  }
}

/** Class-index targets flattened to match `flattenClasses`, with their per-element weights. */
export interface ClassTargets {
  /** `(M, 1)` int32 indices (ignored ones replaced by 0) for `gather`. */
  index: Tensor;
  /** `(M)` weight of each target's class, 0 where ignored. */
  weight: Tensor;
  /** `(M)` 1 where the target counts, 0 where it equals `ignoreIndex`. */
  valid: Tensor;
  /** Σ weight over non-ignored targets (the divisor of the mean). */
  weightSum: number;
}

/** Validates int32 class targets against `input` and resolves weights and ignored entries. */
export function classTargets(op: string, input: Tensor, target: Tensor, weight: Tensor | null | undefined, ignoreIndex: number): ClassTargets {
  const expected = lossShape(input);
  if (target.dtype !== "int32") {
    throw new Error(`${op}: class-index target must be int32, got ${target.dtype} with shape ${fmt(target.shape)} (input shape ${fmt(input.shape)})`);
  }
  if (target.shape.length !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    throw new Error(`${op}: target shape ${fmt(target.shape)} does not match input shape ${fmt(input.shape)} (expected target shape ${fmt(expected)})`);
  }
  const numClasses = input.shape[classDim(input)]!;
  checkClassWeight(op, weight, numClasses);
  const t = target.data();
  const w = weight ? weight.data() : null;
  const m = t.length;
  const index = new Int32Array(m);
  const pw = new Float32Array(m);
  const valid = new Float32Array(m);
  let weightSum = 0;
  for (let i = 0; i < m; i++) {
    const c = t[i]!;
    if (c === ignoreIndex) continue;
    if (c < 0 || c >= numClasses) {
      throw new Error(`${op}: target ${c} is out of bounds for ${numClasses} classes (input shape ${fmt(input.shape)})`);
    }
    index[i] = c;
    valid[i] = 1;
    pw[i] = w ? w[c]! : 1;
    weightSum += pw[i]!;
  }
  return {
    index: new Tensor(new NDArray(index, [m, 1])),
    weight: new Tensor(new NDArray(pw, [m])),
    valid: new Tensor(new NDArray(valid, [m])),
    weightSum: Math.fround(weightSum),
  };
}
