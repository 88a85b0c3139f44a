export { crossEntropy, type CrossEntropyOptions } from "./crossEntropy.js";
export { nllLoss, type NLLLossOptions } from "./nllLoss.js";
export { huberLoss, l1Loss, mseLoss, smoothL1Loss, type HuberOptions, type SmoothL1Options } from "./regression.js";
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCEOptions, type BCEWithLogitsOptions } from "./binaryCrossEntropy.js";
export type { Reduction, ReductionOptions } from "./reduction.js";
