import type { Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";
import { classDim, classTargets, checkClassInput, checkClassWeight, flattenClasses, lossShape } from "./classIndex.js";
import { logProbNll } from "./logProbNll.js";
import { divideByWeight, reduceWeighted, type NLLLossOptions } from "./nllLoss.js";
import { checkReduction, checkTensorArgs } from "./reduction.js";

/** Options of `crossEntropy` / `CrossEntropyLoss`. */
export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: `(1 - ε)·y + ε/C` (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy of logits: `ℓ_n = -Σ_c w_c · y_{n,c} · log softmax(x_n)_c`, with `y` one-hot
 * (int32 class-index target of shape `()`, `(N)`, `(N, d1, ...)`) or a float probability target
 * of the input's shape. Input `(C)`, `(N, C)` or `(N, C, d1, ...)`. Stable for large logits.
 * @example crossEntropy(logits, tensor([2, 0], { dtype: "int32" }), { labelSmoothing: 0.1 });
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  checkTensorArgs("crossEntropy", input, target);
  const op = "crossEntropy";
  checkClassInput(op, input);
  const reduction = checkReduction(op, opts.reduction ?? "mean");
  const ls = opts.labelSmoothing ?? 0;
  if (!(ls >= 0 && ls <= 1)) throw new Error(`${op}: labelSmoothing must be between 0.0 and 1.0, got ${ls}`);
  const numClasses = input.shape[classDim(input)]!;
  const weight = opts.weight ?? null;
  const flat = flattenClasses(input);
  const shape = lossShape(input);

  const sameShape = target.shape.length === input.shape.length && target.shape.every((s, i) => s === input.shape[i]);
  if (target.dtype !== "int32" && sameShape) {
    checkClassWeight(op, weight, numClasses);
    const logp = flat.logSoftmax(1);
    let probs = flattenClasses(target);
    if (ls > 0) probs = probs.mul(1 - ls).add(ls / numClasses);
    const weighted = weight ? logp.mul(weight.reshape([1, numClasses])) : logp;
    const perElement = weighted.mul(probs).sum(1).neg();
    if (reduction === "none") return perElement.reshape(shape);
    if (reduction === "sum") return perElement.sum();
    return perElement.sum().div(perElement.shape[0]!);
  }
  if (target.dtype !== "int32") {
    throw new Error(
      `${op}: a float target must be class probabilities of the input's shape ${fmt(input.shape)}, got shape ${fmt(target.shape)}; ` +
        `class indices must be an int32 tensor of shape ${fmt(shape)}`,
    );
  }
  const t = classTargets(op, input, target, weight, opts.ignoreIndex ?? -100);
  // One log-softmax for both terms; the NLL term's gradient goes straight to the logits.
  const logp = flat.logSoftmax(1);
  const nll = reduceWeighted(logProbNll(logp, t), reduction, t.weightSum, shape);
  if (ls === 0) return nll;
  const weighted = weight ? logp.mul(weight.reshape([1, numClasses])) : logp;
  const smooth = weighted.sum(1).neg().mul(t.valid);
  let smoothReduced: Tensor;
  if (reduction === "none") smoothReduced = smooth.reshape(shape);
  else if (reduction === "sum") smoothReduced = smooth.sum();
  else smoothReduced = divideByWeight(smooth.sum(), t.weightSum);
  return nll.mul(1 - ls).add(smoothReduced.mul(ls / numClasses));
}
