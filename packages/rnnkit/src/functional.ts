/**
 * `rk.nn.functional` (also `rk.F`): the functional layers of @rnnkit/nn merged with the loss
 * functions of @rnnkit/optim.
 * @example rk.F.crossEntropy(logits, targets) // logits (N, C), targets (N) int32
 */
export {
  crossEntropy, nllLoss, mseLoss, l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type CrossEntropyOptions, type NLLLossOptions, type HuberOptions, type SmoothL1Options,
  type BCEOptions, type BCEWithLogitsOptions, type Reduction, type ReductionOptions,
} from "@rnnkit/optim";
