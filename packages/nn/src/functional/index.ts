/**
 * `nn.functional` (also exported as `F`): the stateless forms of the layers and activations.
 * @example F.relu(F.linear(x, w, b)); F.dropout(h, 0.5, { training: true })
 */
export {
  celu, elu, gelu, hardshrink, hardsigmoid, hardswish, hardtanh, leakyRelu, logSoftmax, logsigmoid, mish,
  relu, relu6, selu, sigmoid, silu, softmax, softmin, softplus, softshrink, softsign, tanh, tanhshrink,
  threshold, type GeluApproximate,
} from "./activation.js";
export { dropout, type DropoutOptions } from "./dropout.js";
export { embedding, embeddingRenorm_, type EmbeddingOptions } from "./embedding.js";
export { bilinear, linear } from "./linear.js";
export { normalize, type NormalizeOptions } from "./normalize.js";
export { oneHot } from "./oneHot.js";
export { pad } from "./pad.js";
