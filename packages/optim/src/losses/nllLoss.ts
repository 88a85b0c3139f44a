import type { Tensor } from "@rnnkit/autograd";
import { classTargets, checkClassInput, flattenClasses, lossShape } from "./classIndex.js";
import { logProbNll } from "./logProbNll.js";
import { checkReduction, type Reduction, type ReductionOptions, checkTensorArgs } from "./reduction.js";

/** Options of `nllLoss` / `NLLLoss`. */
export interface NLLLossOptions extends ReductionOptions {
  /** `(C)` rescaling weight per class. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
}

/**
 * Negative log-likelihood: `ℓ_n = -w[y_n] · x[n, y_n]`; the mean divides by `Σ w[y_n]` over
 * non-ignored targets. Input `(C)`, `(N, C)` or `(N, C, d1, ...)` of log-probabilities; target
 * int32 class indices of shape `()`, `(N)` or `(N, d1, ...)`.
 * @example nllLoss(logp, tensor([1, 0], { dtype: "int32" })); // logp: (2, C)
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLLossOptions = {}): Tensor {
  checkTensorArgs("nllLoss", input, target);
  const op = "nllLoss";
  checkClassInput(op, input);
  const reduction = checkReduction(op, opts.reduction ?? "mean");
  const t = classTargets(op, input, target, opts.weight, opts.ignoreIndex ?? -100);
  const perElement = logProbNll(flattenClasses(input), t);
  return reduceWeighted(perElement, reduction, t.weightSum, lossShape(input));
}

/** none: reshape to the target's shape; sum; mean: divide by the total weight. */
export function reduceWeighted(perElement: Tensor, reduction: Reduction, weightSum: number, shape: readonly number[]): Tensor {
  if (reduction === "none") return perElement.reshape(shape);
  const total = perElement.sum();
  return reduction === "sum" ? total : divideByWeight(total, weightSum);
}

/** `total / weightSum`; when every target is ignored the value is NaN (0/0) but, as in torch, the gradient is 0. */
export function divideByWeight(total: Tensor, weightSum: number): Tensor {
  return weightSum === 0 ? total.mul(0).add(Number.NaN) : total.div(weightSum);
}
