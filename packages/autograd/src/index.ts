export { Tensor, type TensorLike, type TensorTuple } from "./tensor.js";
export { Node, type BackwardFn } from "./node.js";
export { defineOp, needsGrad, record, type OpContext, type OpSpec } from "./defineOp.js";
export { runBackward, type BackwardOptions } from "./engine.js";
export { enableGrad, isGradEnabled, noGrad, withGradMode } from "./gradMode.js";
export { freshGrad, sumToShape } from "./gradUtil.js";
export { logSoftmaxOrigin } from "./ops/reduce.js";
export {
  arange, bernoulli, empty, eye, full, fullLike, linspace, ones, onesLike, rand, randint, randn, randperm,
  tensor, zeros, zerosLike, type CreateOptions, type RandomOptions, type SizeArgs,
} from "./creation.js";
export { argsort, sort, topk, type SortOptions, type TopkOptions } from "./ops/sorting.js";
export { cumprod, cumsum, type ScanOptions } from "./ops/scan.js";
export { multinomial, type MultinomialOptions } from "./sampling.js";
export {
  add, cat, clamp, div, indexAdd, matmul, maximum, minimum, mul, oneHot, pow, stack, sub, where,
} from "./ops/index.js";
export { Generator, manualSeed, defaultGenerator, NDArray, type DType } from "@rnnkit/tensor";
export { loadSafetensors, readSafetensorsHeader, saveSafetensors, type SafetensorsHeader, type SafetensorsTensorInfo } from "./io.js";
export { gradcheck, type GradcheckOptions } from "./gradcheck.js";
export {
  elu, gelu, hardsigmoid, hardswish, hardtanh, leakyRelu, logSigmoid, mish, relu6, selu, silu, softplus, softsign, tanhshrink,
} from "./ops/activation.js";
