export { Module, type LoadResult } from "./module.js";
export { Parameter } from "./parameter.js";
export { Bilinear, Identity, Linear, type LinearOptions } from "./linear.js";
export { Embedding, type EmbeddingLayerOptions, type FromPretrainedOptions } from "./embedding.js";
export { Dropout } from "./dropout.js";
export { ModuleList, Sequential } from "./sequential.js";
export {
  CELU, ELU, Flatten, GELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSigmoid, LogSoftmax, Mish, ReLU,
  ReLU6, SELU, SiLU, Sigmoid, Softmax, Softmin, Softplus, Softshrink, Softsign, Tanh, Tanhshrink, Threshold,
} from "./activationModules.js";
export * as init from "./init.js";
export * as functional from "./functional/index.js";
export * as F from "./functional/index.js";
export {
  GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, RNNCellBase, CELL_STEP, GATE_COUNT, affine, gruStep, inputGates,
  lstmStep, rnnReluStep, rnnTanhStep, splitAlong, type CellStep, type CellWeights, type GRUOptions, type LSTMOptions,
  type LSTMState, type RNNBaseOptions, type RNNCellBaseOptions, type RNNCellOptions, type RNNMode, type RNNNonlinearity,
  type RNNOptions, type RunResult,
} from "./rnn/index.js";
export * as utils from "./utils/index.js";
export { PackedSequence } from "./utils/rnn.js";
export { EmbeddedSequence } from "./rnn/embeddedSequence.js";
