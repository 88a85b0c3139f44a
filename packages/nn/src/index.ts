export { Module, type LoadResult } from "./module.js";
export { Parameter } from "./parameter.js";
export {
  GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, RNNCellBase, CELL_STEP, GATE_COUNT, affine, gruStep, inputGates,
  lstmStep, rnnReluStep, rnnTanhStep, splitAlong, type CellStep, type CellWeights, type GRUOptions, type LSTMOptions,
  type LSTMState, type RNNBaseOptions, type RNNCellBaseOptions, type RNNCellOptions, type RNNMode, type RNNNonlinearity,
  type RNNOptions, type RunResult,
} from "./rnn/index.js";
export * as utils from "./utils/index.js";
export { PackedSequence } from "./utils/rnn.js";
