// The word-level corpus of W7 (pytorch/examples word_language_model, shrunk): the bundled King
// James text split into words, the most frequent VOCAB − 1 kept and the rest mapped to <unk>, as
// that example's data.Corpus does with its own vocabulary.
import { kjvText } from "@rnnkit/dataset-kjv";

/** Vocabulary size of W7, `<unk>` included. */
export const WORD_VOCAB = 4000;

/** Token ids of the bundled text (one `<eos>` per line, as the example's corpus), ids < WORD_VOCAB. */
export function wordTokens(vocab = WORD_VOCAB): Int32Array {
  const lines = kjvText().split("\n").filter((l) => l.trim().length > 0);
  const words = lines.flatMap((l) => [...l.toLowerCase().split(/\s+/).filter((w) => w.length > 0), "<eos>"]);
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Ties broken by the word so the ids do not depend on the engine's sort.
  const kept = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, vocab - 1);
  const id = new Map(kept.map(([w], i) => [w, i + 1]));
  return Int32Array.from(words, (w) => id.get(w) ?? 0);
}
