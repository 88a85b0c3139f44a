import type { Tensor } from "@rnnkit/autograd";
import type { PackedSequence } from "../utils/rnn.js";
import { RNNBase, type RNNBaseOptions } from "./rnnBase.js";
import type { EmbeddedSequence } from "./embeddedSequence.js";
import { ownLayers } from "../module.js";

/** The nonlinearity of an Elman RNN. */
export type RNNNonlinearity = "tanh" | "relu";

/** Options of `RNN`. */
export interface RNNOptions extends Omit<RNNBaseOptions, "projSize"> {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: RNNNonlinearity;
}

/** Checks a nonlinearity name and returns the matching mode. */
export function rnnMode(nonlinearity: string, op: string): "RNN_TANH" | "RNN_RELU" {
  if (nonlinearity === "tanh") return "RNN_TANH";
  if (nonlinearity === "relu") return "RNN_RELU";
  throw new Error(`${op}: unknown nonlinearity '${nonlinearity}', select from 'tanh' or 'relu'`);
}

/**
 * Multi-layer Elman RNN: `h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)` (or relu), per
 * layer and direction. Input `(T, B, inputSize)` (`(B, T, ·)` with batchFirst), unbatched
 * `(T, inputSize)`, or a PackedSequence; `h0` `(L·D, B, hiddenSize)`. Returns
 * `[output (T, B, D·hiddenSize), hn (L·D, B, hiddenSize)]`.
 * @example
 * const rnn = new RNN(4, 8, { numLayers: 2 });
 * const [out, hn] = rnn.forward(randn([5, 3, 4])); // out [5, 3, 8], hn [2, 3, 8]
 */
export class RNN extends RNNBase {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    const nonlinearity = opts.nonlinearity ?? "tanh";
    super(rnnMode(nonlinearity, "RNN"), inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /** `[output, hn]`; a PackedSequence in gives a PackedSequence out. `hx` defaults to zeros. */
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  forward(input: EmbeddedSequence, hx?: Tensor | null): [Tensor, Tensor];
  forward(input: Tensor | PackedSequence | EmbeddedSequence, hx?: Tensor | null): [Tensor | PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence | EmbeddedSequence, hx?: Tensor | null): [Tensor | PackedSequence, Tensor] {
    const { output, state } = this.run(input, hx == null ? undefined : [hx]);
    return [output, state[0]!];
  }
}

ownLayers(RNN);
