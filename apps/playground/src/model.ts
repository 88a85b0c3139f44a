import * as rk from "rnnkit";
import type { PlaygroundConfig } from "./config.js";

/** The recurrent state a layer carries: h for RNN/GRU, [h, c] for LSTM. */
export type RecurrentState = rk.Tensor | [rk.Tensor, rk.Tensor];

/**
 * The playground's model: (one-hot or Embedding) → RNN/LSTM/GRU (batchFirst) → Linear.
 * `forward(x)` with int32 ids `[batch, seq]` (or float `[batch, seq, features]` for real-valued
 * tasks) returns per-step outputs `[batch, seq, outputs]`; `classify(x, lengths)` returns one
 * output row per sequence from the final hidden state(s).
 */
export class PlaygroundNet extends rk.nn.Module {
  readonly config: PlaygroundConfig;
  readonly vocabSize: number;
  readonly outputs: number;
  embedding: rk.nn.Embedding | null;
  rnn: rk.nn.RNN | rk.nn.LSTM | rk.nn.GRU;
  fc: rk.nn.Linear;

  constructor(config: PlaygroundConfig, vocabSize: number, outputs: number) {
    super();
    this.config = config;
    this.vocabSize = vocabSize;
    this.outputs = outputs;
    const useEmbedding = config.input === "embedding";
    this.embedding = useEmbedding ? new rk.nn.Embedding(vocabSize, config.embeddingDim) : null;
    const inputSize = useEmbedding ? config.embeddingDim : vocabSize;
    const opts = { numLayers: config.numLayers, batchFirst: true, bidirectional: config.bidirectional };
    switch (config.cell) {
      case "rnn-tanh":
        this.rnn = new rk.nn.RNN(inputSize, config.hiddenSize, { ...opts, nonlinearity: "tanh" });
        break;
      case "rnn-relu":
        this.rnn = new rk.nn.RNN(inputSize, config.hiddenSize, { ...opts, nonlinearity: "relu" });
        break;
      case "lstm":
        this.rnn = new rk.nn.LSTM(inputSize, config.hiddenSize, opts);
        break;
      case "gru":
        this.rnn = new rk.nn.GRU(inputSize, config.hiddenSize, opts);
        break;
    }
    const directions = config.bidirectional ? 2 : 1;
    this.fc = new rk.nn.Linear(config.hiddenSize * directions, outputs);
  }

  /** The recurrent layer's input for `x`: embedded ids, one-hot ids, or real values as given. */
  encode(x: rk.Tensor): rk.Tensor {
    if (x.dtype !== "int32") return x;
    if (this.embedding) return this.embedding.forward(x);
    return rk.F.oneHot(x, this.vocabSize).float();
  }

  /** Per-step outputs `[batch, seq, outputs]` and the final state. */
  forward(x: rk.Tensor, state?: RecurrentState): [rk.Tensor, RecurrentState] {
    const input = this.encode(x);
    const [out, hn] = runRecurrent(this.rnn, input, state);
    return [this.fc.forward(out), hn];
  }

  /** One output row per sequence from the last layer's final hidden state(s), for padded ids and lengths. */
  classify(x: rk.Tensor, lengths: readonly number[]): rk.Tensor {
    const input = this.encode(x);
    const packed = rk.nn.utils.rnn.packPaddedSequence(input, lengths, { batchFirst: true, enforceSorted: false });
    const [, state] = runRecurrent(this.rnn, packed, undefined);
    const h = Array.isArray(state) ? state[0] : state;
    const layers = h.shape[0]!;
    const last = this.config.bidirectional
      ? rk.cat([h.select(0, layers - 2), h.select(0, layers - 1)], 1)
      : h.select(0, layers - 1);
    return this.fc.forward(last);
  }
}

/** Calls RNN/GRU (`h`) or LSTM (`[h, c]`) with one calling convention. */
export function runRecurrent(
  rnn: rk.nn.RNN | rk.nn.LSTM | rk.nn.GRU,
  input: rk.Tensor | rk.nn.PackedSequence,
  state: RecurrentState | undefined,
): [rk.Tensor, RecurrentState] {
  if (rnn instanceof rk.nn.LSTM) {
    const [out, [h, c]] = rnn.forward(input as rk.Tensor, state as [rk.Tensor, rk.Tensor] | undefined);
    return [asTensor(out), [h, c]];
  }
  const [out, h] = (rnn as rk.nn.RNN).forward(input as rk.Tensor, state as rk.Tensor | undefined);
  return [asTensor(out), h];
}

function asTensor(out: rk.Tensor | rk.nn.PackedSequence): rk.Tensor {
  return out instanceof rk.Tensor ? out : out.data;
}

/** Detaches a carried state so truncated BPTT does not reach into earlier chunks. */
export function detachState(s: RecurrentState): RecurrentState {
  return Array.isArray(s) ? [s[0].detach(), s[1].detach()] : s.detach();
}
