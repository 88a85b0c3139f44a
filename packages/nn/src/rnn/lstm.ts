import type { Tensor } from "@rnnkit/autograd";
import type { PackedSequence } from "../utils/rnn.js";
import { RNNBase, type RNNBaseOptions } from "./rnnBase.js";
import type { EmbeddedSequence } from "./embeddedSequence.js";
import { ownLayers } from "../module.js";

/** Options of `LSTM`. */
export type LSTMOptions = RNNBaseOptions;

/** LSTM's state: `[h, c]`. */
export type LSTMState = [Tensor, Tensor];

/**
 * Multi-layer long short-term memory, gates in torch's order i, f, g, o:
 * `c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)`, `h' = σ(o) ⊙ tanh(c')` (then `h' W_hrᵀ` with projSize).
 * Input `(T, B, inputSize)` (or batchFirst, unbatched, PackedSequence), state
 * `[h0 (L·D, B, R), c0 (L·D, B, hiddenSize)]` with R = projSize or hiddenSize. Returns
 * `[output (T, B, D·R), [hn, cn]]`.
 * @example
 * const lstm = new LSTM(10, 20, { numLayers: 2 });
 * const [out, [hn, cn]] = lstm.forward(randn([5, 3, 10])); // out [5, 3, 20], hn/cn [2, 3, 20]
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super("LSTM", inputSize, hiddenSize, opts);
  }

  /** `[output, [hn, cn]]`; a PackedSequence in gives a PackedSequence out. `hx` defaults to zeros. */
  forward(input: Tensor, hx?: LSTMState | null): [Tensor, LSTMState];
  forward(input: PackedSequence, hx?: LSTMState | null): [PackedSequence, LSTMState];
  forward(input: EmbeddedSequence, hx?: LSTMState | null): [Tensor, LSTMState];
  forward(input: Tensor | PackedSequence | EmbeddedSequence, hx?: LSTMState | null): [Tensor | PackedSequence, LSTMState];
  forward(input: Tensor | PackedSequence | EmbeddedSequence, hx?: LSTMState | null): [Tensor | PackedSequence, LSTMState] {
    if (hx != null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new Error(`LSTM.forward: the initial state must be a pair [h0, c0], got ${Array.isArray(hx) ? `${hx.length} tensor(s)` : typeof hx}`);
    }
    const { output, state } = this.run(input, hx ?? undefined);
    return [output, [state[0]!, state[1]!]];
  }
}

ownLayers(LSTM);
