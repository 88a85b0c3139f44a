import { Tensor, tensor } from "@rnnkit/autograd";

/** The "hello" → "ohlol" exercise in every form its lessons use. */
export interface HelloOhlol {
  /** `["e", "l", "h", "o"]`: id → character. */
  idx2char: string[];
  /** "hello" as ids: `[2, 0, 1, 1, 3]`. */
  xData: number[];
  /** "ohlol" as ids: `[3, 2, 1, 3, 1]`. */
  yData: number[];
  /** The 4 × 4 one-hot lookup table (row i is the one-hot vector of id i), float32. */
  oneHotLookup: Tensor;
  /** One-hot inputs `(seqLen, batch, inputSize)` = `(5, 1, 4)`, float32. */
  inputs: Tensor;
  /** Labels `(seqLen, batch)` = `(5, 1)`, int32: one label per RNNCell step. */
  labels: Tensor;
  /** Labels `(seqLen * batch)` = `(5)`, int32: for the whole-sequence RNN loss. */
  labelsFlat: Tensor;
  /** Index inputs `(batch, seqLen)` = `(1, 5)`, int32: for Embedding with batchFirst. */
  xIndices: Tensor;
}

/**
 * The classic first RNN exercise: learn to map "hello" to "ohlol" (idx2char e, l, h, o).
 * @example const { inputs, labels } = helloOhlol(); // inputs [5, 1, 4], labels [5, 1]
 */
export function helloOhlol(): HelloOhlol {
  const idx2char = ["e", "l", "h", "o"];
  const xData = [2, 0, 1, 1, 3];
  const yData = [3, 2, 1, 3, 1];
  const lookup = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  return {
    idx2char,
    xData,
    yData,
    oneHotLookup: tensor(lookup),
    inputs: tensor(xData.map((i) => [lookup[i]!])),
    labels: tensor(yData.map((i) => [i]), { dtype: "int32" }),
    labelsFlat: tensor(yData, { dtype: "int32" }),
    xIndices: tensor([xData], { dtype: "int32" }),
  };
}
