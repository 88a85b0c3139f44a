import { functional } from "@rnnkit/nn";

// @rnnkit/nn exposes its functional API as a namespace object; re-bind each name so the
// umbrella's `functional` module can list them beside the losses.
export const {
  celu, elu, gelu, hardshrink, hardsigmoid, hardswish, hardtanh, leakyRelu, logSoftmax, logsigmoid, mish,
  relu, relu6, selu, sigmoid, silu, softmax, softmin, softplus, softshrink, softsign, tanh, tanhshrink,
  threshold, dropout, embedding, embeddingRenorm_, bilinear, linear, normalize, oneHot, pad,
} = functional;
export type GeluApproximate = functional.GeluApproximate;
export type DropoutOptions = functional.DropoutOptions;
export type EmbeddingOptions = functional.EmbeddingOptions;
export type NormalizeOptions = functional.NormalizeOptions;
