import { kjvText } from "@rnnkit/dataset-kjv";

/** How the bundled corpus is named in logs and checkpoint summaries. */
export const BUNDLED_CORPUS_NAME = "bundled:kjv (King James Bible: Genesis, Exodus, Psalms, Proverbs, Ecclesiastes)";

/** The text `rnnkit train` learns when no `--data` is given. */
export function bundledCorpus(): string {
  return kjvText();
}
