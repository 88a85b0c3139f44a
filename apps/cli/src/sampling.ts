import * as rk from "rnnkit";
import type { CharLM, RecurrentState } from "./charModel.js";
import { CliError } from "./errors.js";


/** Where a sample starts without a prime: a newline (a fresh line of text) if the vocabulary has one. */
export function defaultPrime(vocab: rk.data.CharVocab): string {
  return vocab.has("\n") ? "\n" : vocab.tokens[vocab.specials.length]!;
}

/** Options of `sampleText`. */
export interface SampleOptions {
  prime: string;
  length: number;
  /** Logits are divided by it; 0 means greedy (argmax). */
  temperature: number;
  /** Keep only the k most likely characters (0 keeps all). */
  topK: number;
  generator: rk.Generator;
}

/**
 * Index drawn from the categorical distribution `softmax(logits / temperature)` restricted to
 * the top k: `u = generator.uniform()` (torch.rand's float32 draw), then the first index whose
 * float64 cumulative probability exceeds `u`. Python: `int((p.double().cumsum(0) > u).nonzero()[0])`.
 */
export function drawIndex(logits: Float32Array, temperature: number, topK: number, generator: rk.Generator): number {
  const n = logits.length;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  let masked = rk.tensor(logits).div(temperature);
  if (topK > 0 && topK < n) {
    const sorted = Float32Array.from(masked.data()).sort((a, b) => b - a);
    const kth = sorted[topK - 1]!;
    masked = masked.maskedFill(masked.lt(kth), -Infinity);
  }
  const p = masked.softmax(0).data();
  const u = generator.uniform();
  let cum = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (p[i]! > 0) last = i;
    cum += p[i]!;
    if (cum > u) return i;
  }
  return last;
}

/**
 * Continues `ids` by `length` characters, handing each drawn id to `emit` as it comes (so a
 * long sample streams instead of piling up): the prime runs through the model once, then one
 * character at a time is drawn from the last step's logits and fed back.
 */
export function sampleIds(model: CharLM, ids: Int32Array, opts: Omit<SampleOptions, "prime">, emit: (id: number) => void): void {
  const wasTraining = model.training;
  model.eval();
  try {
    rk.noGrad(() => {
      let state: RecurrentState | undefined;
      let input = rk.tensor(ids, { shape: [1, ids.length], dtype: "int32" });
      for (let i = 0; i < opts.length; i++) {
        const [logits, next] = model.forward(input, state);
        state = next;
        const t = logits.shape[1]!;
        const last = logits.select(1, t - 1).reshape(-1).data() as Float32Array;
        const bad = last.find((v) => !Number.isFinite(v));
        if (bad !== undefined) throw new CliError(`the model's output became ${bad} at generated character ${i + 1}; its weights are too large to sample from`);
        const id = drawIndex(last, opts.temperature, opts.topK, opts.generator);
        emit(id);
        input = rk.tensor(new Int32Array([id]), { shape: [1, 1], dtype: "int32" });
      }
    });
  } finally {
    model.train(wasTraining);
  }
}

/** `sampleIds` collected into text. */
export function sampleText(model: CharLM, vocab: rk.data.CharVocab, ids: Int32Array, opts: Omit<SampleOptions, "prime">): string {
  const out: number[] = [];
  sampleIds(model, ids, opts, (id) => out.push(id));
  return vocab.decode(out);
}
