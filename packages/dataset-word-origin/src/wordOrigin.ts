import { Generator } from "@rnnkit/tensor";
import type { Tensor } from "@rnnkit/autograd";
import { CharVocab, Dataset, permutation } from "@rnnkit/data";
import { WORD_ORIGIN_LANGUAGES, WORD_ORIGIN_WORDS } from "../datasets/wordOrigin.js";

/** Options of {@link wordOrigin}. */
export interface WordOriginOptions {
  /** Which words: the training part, the held-out part, or all (default "all"). */
  split?: "train" | "test" | "all";
  /** Share of each language held out for "test" (default 0.2). */
  testFraction?: number;
  /** Seed of the train/test split (default 0). */
  seed?: number;
}

/**
 * Words labelled with their language, as a dataset of `[ids (int32 [L]), label]` pairs.
 * Fields: `words`, `labels` (indices into `labelNames`), `labelNames`, and `vocab` (every character
 * of the whole set, so train and test encode alike).
 */
export class WordOriginDataset extends Dataset<[Tensor, number]> {
  constructor(
    readonly words: readonly string[],
    readonly labels: readonly number[],
    readonly labelNames: readonly string[],
    readonly vocab: CharVocab,
  ) {
    super();
  }
  get length(): number {
    return this.words.length;
  }
  get(i: number): [Tensor, number] {
    if (!Number.isInteger(i) || i < 0 || i >= this.words.length) {
      throw new Error(`WordOriginDataset.get: index ${i} out of range for dataset of length ${this.words.length}`);
    }
    return [this.vocab.encode(this.words[i]!), this.labels[i]!];
  }
}

let cache: { words: string[][]; vocab: CharVocab } | null = null;

function load(): { words: string[][]; vocab: CharVocab } {
  if (cache === null) {
    const words = WORD_ORIGIN_WORDS.map((block) => block.split("\n"));
    cache = { words, vocab: new CharVocab(WORD_ORIGIN_WORDS.map((b) => b.replace(/\n/g, ""))) };
  }
  return cache;
}

/**
 * Word-origin classification in the spirit of "classifying names with a character-level RNN":
 * 2000 words from each of 8 languages' Debian word lists (dutch, english, french, german, italian,
 * polish, portuguese, spanish), lowercase letters only, each word in one language only. The split
 * is stratified: each language's words are permuted with `seed` and the first
 * `round(testFraction · 2000)` held out. Bundled, no network.
 * @example
 * const train = wordOrigin({ split: "train" }); // 12800 words
 * train.labelNames[train.labels[0]]; train.get(0) // [int32 ids, label]
 */
export function wordOrigin(opts: WordOriginOptions = {}): WordOriginDataset {
  const split = opts.split ?? "all";
  const testFraction = opts.testFraction ?? 0.2;
  if (split !== "train" && split !== "test" && split !== "all") {
    throw new Error(`wordOrigin: split must be "train", "test" or "all", got ${JSON.stringify(split)}`);
  }
  if (!(testFraction >= 0 && testFraction <= 1)) throw new Error(`wordOrigin: testFraction must be in [0, 1], got ${testFraction}`);
  const { words: perLanguage, vocab } = load();
  const g = new Generator(opts.seed ?? 0);
  const words: string[] = [];
  const labels: number[] = [];
  perLanguage.forEach((list, label) => {
    const perm = permutation(list.length, g);
    const nTest = Math.round(testFraction * list.length);
    const chosen = split === "all" ? list.map((_, i) => i) : split === "test" ? perm.slice(0, nTest) : perm.slice(nTest);
    for (const i of chosen) {
      words.push(list[i]!);
      labels.push(label);
    }
  });
  return new WordOriginDataset(words, labels, WORD_ORIGIN_LANGUAGES, vocab);
}
