import type { Tensor } from "@rnnkit/autograd";
import { tensor } from "@rnnkit/autograd";
import { CharVocab } from "../charVocab.js";
import { checkIndex, Dataset } from "../dataset.js";

/** Chunks of an encoded text: item k is `[input, target]`, int32 `[seqLen]` each, target shifted by one. */
export class TextChunkDataset extends Dataset<[Tensor, Tensor]> {
  constructor(private readonly ids: Int32Array, readonly seqLen: number, readonly stride: number) {
    super();
  }
  get length(): number {
    return this.ids.length <= this.seqLen ? 0 : Math.floor((this.ids.length - 1 - this.seqLen) / this.stride) + 1;
  }
  get(i: number): [Tensor, Tensor] {
    checkIndex("TextChunkDataset.get", i, this.length);
    const start = i * this.stride;
    return [
      tensor(this.ids.subarray(start, start + this.seqLen), { dtype: "int32" }),
      tensor(this.ids.subarray(start + 1, start + 1 + this.seqLen), { dtype: "int32" }),
    ];
  }
}

/** Options of {@link textCorpus}. */
export interface TextCorpusOptions {
  /** Characters per input chunk (default 100); each chunk reads seqLen + 1 characters. */
  seqLen?: number;
  /** Step between chunk starts (default seqLen: chunks overlap by the one target character). */
  stride?: number;
  /** Share of the text, taken from its end, kept for validation (default 0.1). */
  valFraction?: number;
  /** Vocabulary to encode with (default: fitted on the whole text). */
  vocab?: CharVocab;
}

/** A character-level language-modelling corpus. */
export interface TextCorpus {
  text: string;
  vocab: CharVocab;
  /** Chunks of the first `1 - valFraction` of the text. */
  train: TextChunkDataset;
  /** Chunks of the rest. */
  val: TextChunkDataset;
}

/**
 * Turns any text into a char-level LM task: encode with a CharVocab, cut the first part into
 * `(input, target)` chunks of seqLen + 1 characters (target = input shifted by one), and the last
 * `valFraction` likewise for validation (a contiguous split, so no chunk leaks across).
 * Bundled texts come in their own packages, e.g. `kjvText()` of `@rnnkit/dataset-kjv`.
 * @example const { vocab, train } = textCorpus("to be or not to be", { seqLen: 4, valFraction: 0 });
 */
export function textCorpus(text: string, opts: TextCorpusOptions = {}): TextCorpus {
  const seqLen = opts.seqLen ?? 100;
  const stride = opts.stride ?? seqLen;
  const valFraction = opts.valFraction ?? 0.1;
  if (!Number.isInteger(seqLen) || seqLen <= 0) throw new Error(`textCorpus: seqLen must be a positive integer, got ${seqLen}`);
  if (!Number.isInteger(stride) || stride <= 0) throw new Error(`textCorpus: stride must be a positive integer, got ${stride}`);
  if (!(valFraction >= 0 && valFraction < 1)) throw new Error(`textCorpus: valFraction must be in [0, 1), got ${valFraction}`);
  const vocab = opts.vocab ?? CharVocab.fromText(text);
  const ids = new Int32Array(vocab.encodeIds(text));
  const cut = ids.length - Math.floor(ids.length * valFraction);
  const train = new TextChunkDataset(ids.subarray(0, cut), seqLen, stride);
  if (train.length === 0) {
    throw new Error(`textCorpus: text too short: the training part has ${cut} characters, needs at least seqLen + 1 = ${seqLen + 1}`);
  }
  return { text, vocab, train, val: new TextChunkDataset(ids.subarray(cut), seqLen, stride) };
}
