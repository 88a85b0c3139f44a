import type { Tensor } from "@rnnkit/autograd";
import type { PackedSequence } from "../utils/rnn.js";
import { RNNBase, type RNNBaseOptions } from "./rnnBase.js";
import type { EmbeddedSequence } from "./embeddedSequence.js";
import { ownLayers } from "../module.js";

/** Options of `GRU`. */
export type GRUOptions = Omit<RNNBaseOptions, "projSize">;

/**
 * Multi-layer gated recurrent unit, gates in torch's order r, z, n:
 * `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
 * Called like RNN: input `(T, B, inputSize)` (or batchFirst, unbatched, PackedSequence) and
 * `h0` `(L·D, B, hiddenSize)`; returns `[output (T, B, D·hiddenSize), hn]`.
 * @example
 * const gru = new GRU(10, 8, { numLayers: 2, batchFirst: true });
 * const [out, hn] = gru.forward(randn([1, 5, 10])); // out [1, 5, 8], hn [2, 1, 8]
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: GRUOptions = {}) {
    super("GRU", inputSize, hiddenSize, opts);
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

ownLayers(GRU);
