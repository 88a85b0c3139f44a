import * as rk from "rnnkit";
import { makeRecurrent, runRecurrent } from "./charModel.js";

/**
 * Configuration of a word classifier, stored as JSON in the checkpoint (`vocabSize` counts the
 * padding id 0; `lowercase`: input text is lower-cased before encoding). One definition with the
 * PyTorch project writer, which reads the same metadata.
 */
export type ClassifierConfig = rk.torchExport.ClassifierConfig;

/**
 * `Embedding(V, E, padding_idx=0) → GRU/LSTM/RNN(E, H, layers, batch_first) → Linear(H, C)` over
 * packed variable-length words; the top layer's final hidden state gives the class scores.
 * Keys: `embed.weight`, `rnn.*`, `head.weight`, `head.bias`.
 */
export class WordClassifier extends rk.nn.Module {
  embed: rk.nn.Embedding;
  rnn: ReturnType<typeof makeRecurrent>;
  head: rk.nn.Linear;

  constructor(readonly config: ClassifierConfig) {
    super();
    this.embed = new rk.nn.Embedding(config.vocabSize, config.embedding, { paddingIdx: 0 });
    this.rnn = makeRecurrent(config.model, config.embedding, config.hidden, config.layers, 0);
    this.head = new rk.nn.Linear(config.hidden, config.numClasses);
  }

  /** `padded (B, T) int32`, `lengths[b] ≤ T` → class scores `(B, C)`. */
  forward(padded: rk.Tensor, lengths: number[]): rk.Tensor {
    const packed = rk.nn.utils.rnn.packPaddedSequence(this.embed.forward(padded), lengths, { batchFirst: true, enforceSorted: false });
    const [, state] = runRecurrent(this.rnn, packed);
    const hn = Array.isArray(state) ? state[0] : state;
    return this.head.forward(hn.select(0, this.config.layers - 1));
  }
}

const collate = rk.data.padCollate({ batchFirst: true });

/** Id sequences as the padded `(B, maxLen)` int32 batch (pad id 0) and lengths `forward` takes. */
export function padWords(seqs: readonly Int32Array[]): [rk.Tensor, number[]] {
  const { padded, lengths } = collate(seqs);
  return [padded, Array.from(lengths.data())];
}
