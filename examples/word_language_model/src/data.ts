import * as rk from "rnnkit";

/**
 * Word ↔ id, ids given in order of first appearance (data.py's Dictionary).
 * @example const d = new Dictionary(); d.addWord("In"); d.idx2word[0] // "In"
 */
export class Dictionary {
  readonly word2idx = new Map<string, number>();
  readonly idx2word: string[] = [];

  /** The id of `word`, adding it when new. */
  addWord(word: string): number {
    let id = this.word2idx.get(word);
    if (id === undefined) {
      id = this.idx2word.length;
      this.idx2word.push(word);
      this.word2idx.set(word, id);
    }
    return id;
  }

  get length(): number {
    return this.idx2word.length;
  }
}

/**
 * The words of one line: punctuation split off as its own token (the text is not pre-tokenized
 * as wikitext is), then whitespace, then `<eos>` (data.py's `line.split() + ['<eos>']`).
 */
export function tokenize(line: string): string[] {
  return [...line.replace(/([.,;:?!()])/g, " $1 ").split(/\s+/).filter((w) => w !== ""), "<eos>"];
}

/** A text's lines as Python's `for line in file` yields them (no empty line after the final newline). */
export function textLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Train / valid / test token ids of a text split by lines (80 / 10 / 10 %), one dictionary for
 * all three, built in that order (data.py's Corpus reads train.txt, valid.txt, test.txt).
 */
export class Corpus {
  readonly dictionary = new Dictionary();
  readonly train: rk.Tensor;
  readonly valid: rk.Tensor;
  readonly test: rk.Tensor;

  constructor(text: string) {
    const lines = textLines(text);
    const a = Math.floor(lines.length * 0.8);
    const b = Math.floor(lines.length * 0.9);
    this.train = this.encode(lines.slice(0, a));
    this.valid = this.encode(lines.slice(a, b));
    this.test = this.encode(lines.slice(b));
  }

  private encode(lines: readonly string[]): rk.Tensor {
    const ids: number[] = [];
    for (const line of lines) for (const w of tokenize(line)) ids.push(this.dictionary.addWord(w));
    return rk.tensor(Int32Array.from(ids));
  }
}

/**
 * Cuts a 1-D id stream into `bsz` columns, `(nbatch, bsz)`, dropping the remainder; columns are
 * independent streams (main.py's batchify).
 * @example batchify(rk.arange(26), 4) // (6, 4): a g m s / b h n t / …
 */
export function batchify(data: rk.Tensor, bsz: number): rk.Tensor {
  const nbatch = Math.floor(data.size(0) / bsz);
  return data.narrow(0, 0, nbatch * bsz).view(bsz, -1).t().contiguous();
}

/** Rows `i .. i+seqLen` as input and the next rows, flattened, as targets (main.py's get_batch). */
export function getBatch(source: rk.Tensor, i: number, bptt: number): [rk.Tensor, rk.Tensor] {
  const seqLen = Math.min(bptt, source.size(0) - 1 - i);
  const data = source.slice(0, i, i + seqLen);
  const target = source.slice(0, i + 1, i + 1 + seqLen).reshape(-1);
  return [data, target];
}
