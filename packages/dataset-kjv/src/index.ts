import { KJV_TEXT } from "../datasets/kjvText.js";

/**
 * Genesis, Exodus, Psalms, Proverbs and Ecclesiastes of the King James Bible (1611, public
 * domain; from Debian's bible-kjv-text), ~700k characters, one verse a line. Bundled, no network.
 * @example
 * import { textCorpus } from "@rnnkit/data";
 * const corpus = textCorpus(kjvText(), { seqLen: 64 }); // corpus.train, corpus.val, corpus.vocab
 */
export function kjvText(): string {
  return KJV_TEXT;
}
