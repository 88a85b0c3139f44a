import { wordOrigin, type WordOriginDataset } from "@rnnkit/dataset-word-origin";
import * as rk from "rnnkit";
import type { PlaygroundNet } from "../model.js";
import type { Batch, Predictions, Task } from "./task.js";

/** Classify a word's language from its letters (the bundled word-origin set). */
export class WordOriginTask implements Task {
  readonly name = "word origin";
  readonly kind = "classify" as const;
  readonly symbols: readonly string[];
  readonly inputSize: number;
  readonly outputs: number;
  readonly labelNames: readonly string[];
  private readonly train: WordOriginDataset;
  private readonly test: WordOriginDataset;
  private readonly ids: Map<string, number>;
  private readonly gen: rk.Generator;
  private readonly val: Batch;

  /**
   * `symbols` fixes the id of each character (a loaded model's vocabulary: the CLI's classifiers
   * put a padding symbol at id 0); by default the bundled set's own letters, in code-point order.
   */
  constructor(private readonly batchSize: number, seed: number, symbols?: readonly string[]) {
    this.train = wordOrigin({ split: "train", seed });
    this.test = wordOrigin({ split: "test", seed });
    this.symbols = symbols ?? this.train.vocab.tokens;
    this.ids = new Map(this.symbols.map((s, i) => [s, i]));
    const missing = this.train.vocab.tokens.filter((ch) => !this.ids.has(ch));
    if (missing.length) {
      throw new Error(`The model's alphabet lacks ${missing.length} letter(s) of the word lists (${missing.slice(0, 10).join(" ")}), so it cannot read these words.`);
    }
    this.inputSize = this.symbols.length;
    this.labelNames = this.train.labelNames;
    this.outputs = this.labelNames.length;
    this.gen = new rk.Generator(seed + 1);
    // A fixed, label-balanced slice of the held-out words (they are stored grouped by label).
    const step = Math.max(1, Math.floor(this.test.length / 256));
    this.val = this.collect(this.test, Array.from({ length: Math.min(256, this.test.length) }, (_, i) => i * step));
  }

  private collect(set: WordOriginDataset, idx: readonly number[]): Batch {
    const seqs = idx.map((i) => rk.tensor(Array.from(set.words[i]!, (ch) => this.ids.get(ch)!), { dtype: "int32" }));
    return {
      x: rk.nn.utils.rnn.padSequence(seqs, { batchFirst: true }),
      y: rk.tensor(idx.map((i) => set.labels[i]!), { dtype: "int32" }),
      lengths: seqs.map((s) => s.shape[0]!),
    };
  }

  nextBatch(): Batch {
    const n = this.train.length;
    return this.collect(this.train, Array.from({ length: this.batchSize }, () => this.gen.randint(0, n)));
  }
  validationBatch(): Batch {
    return this.val;
  }
  loss(model: PlaygroundNet, batch: Batch): rk.Tensor {
    return rk.F.crossEntropy(model.classify(batch.x, batch.lengths!), batch.y);
  }
  predictions(model: PlaygroundNet): Predictions {
    const probs = rk.noGrad(() => model.classify(this.val.x, this.val.lengths!).softmax(1));
    const rows = probs.toArray() as number[][];
    const labels = Array.from(this.val.y.data());
    const correct = rows.filter((r, i) => r.indexOf(Math.max(...r)) === labels[i]).length;
    const step = Math.max(1, Math.floor(rows.length / 8));
    const shown = Array.from({ length: Math.min(8, rows.length) }, (_, k) => k * step).map((i) => {
      const r = rows[i]!;
      const top = r
        .map((p, k) => ({ label: this.labelNames[k]!, p }))
        .sort((a, b) => b.p - a.p)
        .slice(0, 3);
      const ids = this.val.x.select(0, i).narrow(0, 0, this.val.lengths![i]!).data();
      return { text: Array.from(ids, (id) => this.symbols[id]!).join(""), label: this.labelNames[labels[i]!]!, top };
    });
    return { kind: "classes", rows: shown, accuracy: correct / rows.length };
  }
  example(): { x: rk.Tensor; steps: string[] } {
    const len = this.val.lengths![0]!;
    const x = this.val.x.narrow(0, 0, 1).narrow(1, 0, len);
    return { x, steps: Array.from(x.data(), (id) => this.symbols[id]!) };
  }
}
