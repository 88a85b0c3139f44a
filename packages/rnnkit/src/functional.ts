/**
 * `rk.nn.functional` (also `rk.F`): the functional layers and activations of @rnnkit/nn merged
 * with the loss functions of @rnnkit/optim.
 * @example rk.F.crossEntropy(rk.F.linear(x, w, b), targets) // x (N, in), targets (N) int32
 */
export {
  celu, elu, gelu, hardshrink, hardsigmoid, hardswish, hardtanh, leakyRelu, logSoftmax, logsigmoid, mish,
  relu, relu6, selu, sigmoid, silu, softmax, softmin, softplus, softshrink, softsign, tanh, tanhshrink,
  threshold, dropout, embedding, embeddingRenorm_, bilinear, linear, normalize, oneHot, pad,
} from "./nnFunctional.js";
export type { GeluApproximate, DropoutOptions, EmbeddingOptions, NormalizeOptions } from "./nnFunctional.js";
export {
  crossEntropy, nllLoss, mseLoss, l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type CrossEntropyOptions, type NLLLossOptions, type HuberOptions, type SmoothL1Options,
  type BCEOptions, type BCEWithLogitsOptions, type Reduction, type ReductionOptions,
} from "@rnnkit/optim";
