/**
 * rnnkit: PyTorch's recurrent-network toolbox in one import.
 * @example
 * import * as rk from "rnnkit";
 * const rnn = new rk.nn.LSTM(4, 8, { numLayers: 2 });
 * const [out] = rk.noGrad(() => rnn.forward(rk.randn([5, 1, 4])));
 */
export {
  Tensor, tensor, zeros, ones, full, zerosLike, onesLike, fullLike, rand, randn, randint, randperm,
  bernoulli, arange, linspace, eye, stack, cat, add, sub, mul, div, pow, matmul, maximum, minimum,
  clamp, where, oneHot, indexAdd, gradcheck, noGrad, enableGrad, isGradEnabled, withGradMode, defineOp,
  manualSeed, Generator, defaultGenerator, NDArray, empty, multinomial, topk, sort, argsort, cumsum, cumprod,
  type TensorLike, type SizeArgs, type SortOptions, type TopkOptions, type ScanOptions, type MultinomialOptions, type TensorTuple, type CreateOptions, type RandomOptions, type OpSpec, type OpContext, type DType,
  type GradcheckOptions,
} from "@rnnkit/autograd";
export { fmt, getNumThreads, setNumThreads } from "@rnnkit/tensor";
// Backend selection: which kernels run (js, or wasm where WebAssembly SIMD exists), and the
// asynchronous wasm load a browser page needs before training.
export { backend, initWasmBackend, setBackend, wasmBackend, type Backend, type BackendName } from "@rnnkit/tensor";
export * as nn from "./nn.js";
export * as F from "./functional.js";
export * as optim from "./optim.js";
export * as data from "./data.js";
export * as io from "./io.js";
/** The PyTorch DDP project writer and store-only zip of `@rnnkit/export` (`rk.torchExport.torchProject(spec)`). */
export * as torchExport from "@rnnkit/export";
