import * as rk from "rnnkit";
import { detachState, type PlaygroundNet, type RecurrentState } from "../model.js";
import type { Batch, Predictions, Task } from "./task.js";

/** Character-level language modelling on the user's text: predict each next character. */
export class TextTask implements Task {
  readonly name = "character language model";
  readonly kind = "sequence" as const;
  readonly symbols: readonly string[];
  readonly inputSize: number;
  readonly outputs: number;
  readonly labelNames: readonly string[] = [];
  private readonly corpus: rk.data.TextCorpus;
  private readonly gen: rk.Generator;
  private readonly val: Batch;

  /**
   * `symbols` fixes the vocabulary (a loaded model's, in code-point order); the text must then use
   * only those characters. By default the vocabulary is the text's own characters.
   */
  constructor(text: string, seqLen: number, private readonly batchSize: number, seed: number, symbols?: readonly string[]) {
    let vocab: rk.data.CharVocab | undefined;
    if (symbols) {
      vocab = new rk.data.CharVocab(symbols);
      if (vocab.tokens.length !== symbols.length || vocab.tokens.some((t, i) => t !== symbols[i])) {
        throw new Error("The model's vocabulary is not a list of distinct single characters in code-point order, so the playground cannot map text onto it.");
      }
      const known = new Set(symbols);
      const unknown = [...new Set(text)].filter((ch) => !known.has(ch));
      if (unknown.length) {
        throw new Error(`The text uses ${unknown.length} character(s) the model's vocabulary of ${symbols.length} lacks (${unknown.slice(0, 12).map((c) => JSON.stringify(c)).join(" ")}). Put the model's training text (or text using only its characters) in the Text box.`);
      }
    }
    this.corpus = rk.data.textCorpus(text, { seqLen, valFraction: 0.1, ...(vocab ? { vocab } : {}) });
    this.symbols = this.corpus.vocab.tokens;
    this.inputSize = this.symbols.length;
    this.outputs = this.symbols.length;
    this.gen = new rk.Generator(seed + 1);
    const valSet = this.corpus.val.length > 0 ? this.corpus.val : this.corpus.train;
    this.val = this.collect(valSet, Array.from({ length: Math.min(32, valSet.length) }, (_, i) => i));
  }

  private collect(set: rk.data.TextChunkDataset, idx: readonly number[]): Batch {
    const items = idx.map((i) => set.get(i));
    return { x: rk.stack(items.map(([x]) => x)), y: rk.stack(items.map(([, y]) => y)) };
  }

  nextBatch(): Batch {
    const n = this.corpus.train.length;
    return this.collect(this.corpus.train, Array.from({ length: this.batchSize }, () => this.gen.randint(0, n)));
  }
  validationBatch(): Batch {
    return this.val;
  }
  loss(model: PlaygroundNet, batch: Batch): rk.Tensor {
    const [out] = model.forward(batch.x);
    return rk.F.crossEntropy(out.reshape([-1, this.outputs]), batch.y.reshape([-1]));
  }
  /** 160 characters sampled at temperature 0.8, primed with the text's first characters. */
  predictions(model: PlaygroundNet): Predictions {
    const prime = this.corpus.text.slice(0, 16);
    const g = new rk.Generator(1234);
    const text = rk.noGrad(() => {
      let [out, state] = model.forward(this.corpus.vocab.encode(prime).unsqueeze(0));
      let chars = "";
      for (let k = 0; k < 160; k++) {
        const logits = out.select(1, out.shape[1]! - 1).select(0, 0).div(0.8);
        const probs = logits.softmax(0).data();
        let u = g.uniform();
        let id = probs.length - 1;
        for (let i = 0; i < probs.length; i++) {
          u -= probs[i]!;
          if (u <= 0) {
            id = i;
            break;
          }
        }
        chars += this.symbols[id]!;
        [out, state] = model.forward(rk.tensor([[id]], { dtype: "int32" }), detachState(state) as RecurrentState);
      }
      return chars;
    });
    return { kind: "sample", prime, text };
  }
  example(): { x: rk.Tensor; steps: string[] } {
    const x = this.val.x.narrow(0, 0, 1).narrow(1, 0, Math.min(24, this.val.x.shape[1]!));
    return { x, steps: Array.from(x.data(), (i) => this.symbols[i]!.replace("\n", "⏎")) };
  }
}
