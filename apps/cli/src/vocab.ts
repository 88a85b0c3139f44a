import { CliError } from "./errors.js";

/**
 * Characters ↔ ids for the CLI's models: ids follow the order of `chars` (sorted code points
 * when built from text). Stored in a checkpoint as the JSON array `chars`.
 * @example const v = Vocab.fromText("hello"); v.encode("he", "op"); // Int32Array [1, 0]
 */
export class Vocab {
  private readonly index = new Map<string, number>();

  constructor(readonly chars: readonly string[]) {
    chars.forEach((c, i) => this.index.set(c, i));
  }

  /** The sorted distinct characters (code points) of `text`. */
  static fromText(text: string): Vocab {
    return new Vocab([...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  get size(): number {
    return this.chars.length;
  }

  has(ch: string): boolean {
    return this.index.has(ch);
  }

  /** Ids of `text`'s characters; an unknown character is a CliError naming `what` and `op`. */
  encode(text: string, op: string, what = "text"): Int32Array {
    const cps = Array.from(text);
    const out = new Int32Array(cps.length);
    const unknown = new Set<string>();
    cps.forEach((c, i) => {
      const id = this.index.get(c);
      if (id === undefined) unknown.add(c);
      else out[i] = id;
    });
    if (unknown.size > 0) {
      const shown = [...unknown].slice(0, 10).map((c) => JSON.stringify(c)).join(", ");
      throw new CliError(`${op}: ${what} has ${unknown.size} character(s) outside the model's vocabulary of ${this.size}: ${shown}`);
    }
    return out;
  }

  decode(ids: Iterable<number>): string {
    let s = "";
    for (const id of ids) s += this.chars[id] ?? "";
    return s;
  }
}
