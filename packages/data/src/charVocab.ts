import { fmt } from "@rnnkit/tensor";
import { Tensor, tensor } from "@rnnkit/autograd";

/** What encode does with a character not in the vocabulary. */
export type UnknownPolicy = "error" | "unk" | "skip";

/** Options of {@link CharVocab}. */
export interface CharVocabOptions {
  /** Special tokens placed first, ids 0..k-1 (e.g. `["<pad>", "<unk>"]`). */
  specials?: readonly string[];
  /** Unknown characters: throw (default), map to `unkToken`, or drop. */
  unknown?: UnknownPolicy;
  /** The token unknown characters map to under `"unk"` (default `"<unk>"`; added to the specials if missing). */
  unkToken?: string;
}

/** The serialised form of a {@link CharVocab} (plain JSON, e.g. for checkpoint metadata). */
export interface CharVocabJSON {
  type: "CharVocab";
  tokens: string[];
  specials: string[];
  unknown: UnknownPolicy;
  unkToken: string | null;
}

function codePointOrder(a: string, b: string): number {
  return a.codePointAt(0)! - b.codePointAt(0)!;
}

/**
 * Maps characters (Unicode code points) to int32 ids and back. Ids: the special tokens first, then
 * the characters in code-point order (Python's `sorted(set(text))`).
 * @example
 * const v = CharVocab.fromText("hello"); // tokens e, h, l, o
 * v.encodeIds("hole"); // [1, 3, 2, 0]; v.decode(v.encode("hole")) === "hole"
 */
export class CharVocab {
  /** Token of each id: `tokens[id]`. */
  readonly tokens: readonly string[];
  readonly specials: readonly string[];
  readonly unknown: UnknownPolicy;
  readonly unkToken: string | null;
  private readonly ids = new Map<string, number>();

  /** A vocabulary of exactly these characters (sorted, deduplicated) after `specials`. */
  constructor(chars: Iterable<string>, opts: CharVocabOptions = {}) {
    const unknown = opts.unknown ?? "error";
    if (unknown !== "error" && unknown !== "unk" && unknown !== "skip") {
      throw new Error(`CharVocab: unknown must be "error", "unk" or "skip", got ${JSON.stringify(unknown)}`);
    }
    const specials = [...(opts.specials ?? [])];
    const unkToken = unknown === "unk" ? (opts.unkToken ?? "<unk>") : (opts.unkToken ?? null);
    if (unkToken !== null && !specials.includes(unkToken)) specials.push(unkToken);
    const set = new Set<string>();
    for (const piece of chars) {
      for (const ch of piece) set.add(ch);
    }
    for (const s of specials) {
      if (s.length === 0) throw new Error("CharVocab: special tokens must be non-empty strings");
      set.delete(s);
    }
    if (new Set(specials).size !== specials.length) throw new Error(`CharVocab: duplicate special tokens in ${JSON.stringify(specials)}`);
    this.tokens = [...specials, ...[...set].sort(codePointOrder)];
    this.specials = specials;
    this.unknown = unknown;
    this.unkToken = unkToken;
    this.tokens.forEach((t, i) => this.ids.set(t, i));
  }

  /** Fits a vocabulary on `text`: its distinct characters, sorted. */
  static fromText(text: string, opts: CharVocabOptions = {}): CharVocab {
    return new CharVocab([text], opts);
  }

  /** Same as {@link CharVocab.fromText}: fit a vocabulary on `text`. @example CharVocab.fit("abc").size // 3 */
  static fit(text: string, opts: CharVocabOptions = {}): CharVocab {
    return CharVocab.fromText(text, opts);
  }

  /** Rebuilds a vocabulary from {@link CharVocab.toJSON}'s output (an object or its JSON string). */
  static fromJSON(json: CharVocabJSON | string): CharVocab {
    const obj: unknown = typeof json === "string" ? JSON.parse(json) : json;
    const o = obj as Partial<CharVocabJSON> | null;
    if (o === null || typeof o !== "object" || o.type !== "CharVocab" || !Array.isArray(o.tokens) || !Array.isArray(o.specials)) {
      throw new Error("CharVocab.fromJSON: expected an object with type \"CharVocab\", tokens and specials");
    }
    const specials = o.specials;
    const tokens = o.tokens;
    if (tokens.slice(0, specials.length).some((t, i) => t !== specials[i])) {
      throw new Error("CharVocab.fromJSON: tokens must start with the special tokens");
    }
    const opts: CharVocabOptions = { specials, unknown: o.unknown ?? "error" };
    if (typeof o.unkToken === "string") opts.unkToken = o.unkToken;
    const v = new CharVocab(tokens.slice(specials.length), opts);
    if (v.tokens.length !== tokens.length || v.tokens.some((t, i) => t !== tokens[i])) {
      throw new Error("CharVocab.fromJSON: tokens must be single characters in code-point order after the specials");
    }
    return v;
  }

  /** Number of tokens (specials included): the `numEmbeddings` / class count a model needs. */
  get size(): number {
    return this.tokens.length;
  }

  /** Id of one character or special token, or -1. */
  idOf(token: string): number {
    return this.ids.get(token) ?? -1;
  }

  /** Whether `token` is in the vocabulary. */
  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** Ids of `text`'s characters as numbers, unknown characters handled by the policy. */
  encodeIds(text: string): number[] {
    const out: number[] = [];
    let pos = 0;
    for (const ch of text) {
      const id = this.ids.get(ch);
      if (id !== undefined) {
        out.push(id);
      } else if (this.unknown === "unk") {
        out.push(this.ids.get(this.unkToken!)!);
      } else if (this.unknown === "error") {
        const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
        throw new Error(`CharVocab.encode: unknown character ${JSON.stringify(ch)} (U+${cp}) at position ${pos}`);
      }
      pos++;
    }
    return out;
  }

  /** `text` as a 1-D int32 tensor of ids. @example v.encode("hi").shape // [2] */
  encode(text: string): Tensor {
    const ids = this.encodeIds(text);
    return tensor(new Int32Array(ids), { shape: [ids.length], dtype: "int32" });
  }

  /** The text of `ids` (a tensor of any shape, read flat, or a list); special tokens are written as themselves unless `skipSpecials`. */
  decode(ids: Tensor | ArrayLike<number>, opts: { skipSpecials?: boolean } = {}): string {
    let flat: ArrayLike<number>;
    if (ids instanceof Tensor) {
      if (ids.dtype !== "int32") throw new Error(`CharVocab.decode: ids must be an int32 tensor, got ${ids.dtype} of shape ${fmt(ids.shape)}`);
      flat = ids.data();
    } else {
      flat = ids;
    }
    let out = "";
    for (let k = 0; k < flat.length; k++) {
      const id = flat[k]!;
      const token = Number.isInteger(id) ? this.tokens[id] : undefined;
      if (token === undefined) throw new Error(`CharVocab.decode: id ${id} at position ${k} is out of range for vocabulary of size ${this.size}`);
      if (opts.skipSpecials && id < this.specials.length) continue;
      out += token;
    }
    return out;
  }

  /** A plain-JSON description that {@link CharVocab.fromJSON} turns back into this vocabulary. */
  toJSON(): CharVocabJSON {
    return { type: "CharVocab", tokens: [...this.tokens], specials: [...this.specials], unknown: this.unknown, unkToken: this.unkToken };
  }
}
