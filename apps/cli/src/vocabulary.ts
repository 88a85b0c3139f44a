import * as rk from "rnnkit";
import { CliError } from "./errors.js";
import { SchemaError, show, type Check } from "./schema.js";

/** The padding token of the classifier's vocabulary (id 0). */
export const PAD = "<pad>";

/**
 * Checks a checkpoint's `vocab` array: strings of exactly one character (code point), each
 * once, in code-point order (Python's `sorted(set(text))`, the order `CharVocab` gives ids in).
 */
export const vocabCheck: Check<string[]> = (v, field) => {
  if (!Array.isArray(v) || v.length === 0) throw new SchemaError(field, "a non-empty array of characters", v);
  let prev = -1;
  v.forEach((c, i) => {
    if (typeof c !== "string" || Array.from(c).length !== 1) throw new SchemaError(`${field}[${i}]`, "a single character", c);
    const cp = c.codePointAt(0)!;
    if (cp === prev) throw new SchemaError(`${field}[${i}]`, "a character not listed before (duplicate)", c);
    if (cp < prev) throw new SchemaError(`${field}[${i}]`, `after ${show(v[i - 1])} in code-point order (Python's sorted(set(text)))`, c);
    prev = cp;
  });
  return v as string[];
};

/** The library vocabulary of `chars` (already checked); `padded` puts `<pad>` at id 0 (classifiers). */
export function makeVocab(chars: readonly string[], padded = false): rk.data.CharVocab {
  return new rk.data.CharVocab(chars, { specials: padded ? [PAD] : [], unknown: "skip" });
}

/** The characters of a vocabulary, without its special tokens: what a checkpoint stores. */
export function vocabChars(v: rk.data.CharVocab): string[] {
  return v.tokens.slice(v.specials.length);
}

/** Ids of a text with the characters outside the vocabulary dropped. */
export interface Encoded {
  ids: Int32Array;
  /** How many characters were dropped. */
  skipped: number;
  /** The distinct dropped characters, in order of appearance. */
  unknown: string[];
}

/**
 * Encodes `text` with `vocab`, skipping characters outside it; with `strict`, any such
 * character is a CliError naming `what` and the first few characters.
 */
export function encodeText(vocab: rk.data.CharVocab, text: string, opts: { op: string; what: string; strict: boolean }): Encoded {
  const ids = Int32Array.from(vocab.encodeIds(text));
  const total = Array.from(text).length;
  const unknown = new Set<string>();
  if (ids.length < total) for (const ch of text) if (!vocab.has(ch)) unknown.add(ch);
  const result = { ids, skipped: total - ids.length, unknown: [...unknown] };
  if (opts.strict && result.skipped > 0) {
    throw new CliError(`${opts.op}: ${opts.what} has ${result.skipped} character(s) outside the model's vocabulary of ${vocabChars(vocab).length}: ${describeUnknown(result)}`, 1, "drop --strict to skip them");
  }
  return result;
}

/** The first unknown characters, quoted: `"é", "ß" (and 3 more)`. */
export function describeUnknown(e: Encoded): string {
  const shown = e.unknown.slice(0, 8).map((c) => JSON.stringify(c)).join(", ");
  return e.unknown.length > 8 ? `${shown} (and ${e.unknown.length - 8} more)` : shown;
}
