import * as rk from "rnnkit";
import { CliError } from "./errors.js";
import { readBytes } from "./checkpoint.js";
import type { CharLM, RecurrentState } from "./charModel.js";
import { detachState } from "./charModel.js";

/** Reads a UTF-8 text file for `op`; a missing or empty file is a CliError naming it. */
export function readText(path: string, op: string): string {
  const text = new TextDecoder("utf-8").decode(readBytes(path, op, "data file"));
  if (text.length === 0) throw new CliError(`${op}: data file ${path} is empty`);
  return text;
}

/** FNV-1a hash of a text, to tell on `--resume` whether the data is the one trained on. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${text.length}:${h.toString(16).padStart(8, "0")}`;
}

/**
 * The ids laid out as `batch` contiguous streams (stream b starts at `b * streamLength`), the
 * layout of truncated BPTT with state carried across chunks: window i of every stream follows
 * window i-1 of the same stream, so the hidden state at the end of one chunk is the right
 * start of the next.
 */
export class Streams {
  readonly streamLength: number;

  constructor(readonly ids: Int32Array, readonly batch: number) {
    this.streamLength = Math.floor((ids.length - 1) / batch);
  }

  /** Number of full `seqLen` windows per stream. */
  windows(seqLen: number): number {
    return Math.floor(this.streamLength / seqLen);
  }

  /** Inputs and next-character targets of window `i`, each `(batch, len)` int32. */
  window(i: number, seqLen: number, len = seqLen): [rk.Tensor, rk.Tensor] {
    const x = new Int32Array(this.batch * len);
    const y = new Int32Array(this.batch * len);
    for (let b = 0; b < this.batch; b++) {
      const start = b * this.streamLength + i * seqLen;
      for (let t = 0; t < len; t++) {
        x[b * len + t] = this.ids[start + t]!;
        y[b * len + t] = this.ids[start + t + 1]!;
      }
    }
    return [
      rk.tensor(x, { shape: [this.batch, len], dtype: "int32" }),
      rk.tensor(y, { shape: [this.batch, len], dtype: "int32" }),
    ];
  }
}

/**
 * Mean next-character cross-entropy (nats per character) of `model` over `ids`: up to
 * `batch` streams read in `seqLen` windows with the state carried, under noGrad in eval mode.
 */
export function evaluateLoss(model: CharLM, ids: Int32Array, batch: number, seqLen: number): number {
  if (ids.length < 2) throw new CliError(`evaluate: need at least 2 characters, got ${ids.length}`);
  const b = Math.max(1, Math.min(batch, Math.floor((ids.length - 1) / seqLen)));
  const streams = new Streams(ids, b);
  const wasTraining = model.training;
  model.eval();
  let total = 0;
  let count = 0;
  rk.noGrad(() => {
    let state: RecurrentState | undefined;
    for (let start = 0; start < streams.streamLength; start += seqLen) {
      const len = Math.min(seqLen, streams.streamLength - start);
      const [x, y] = streams.window(start / seqLen, seqLen, len);
      const [logits, next] = model.forward(x, state);
      state = detachState(next);
      const loss = rk.F.crossEntropy(logits.reshape(-1, logits.shape[2]!), y.reshape(-1), { reduction: "sum" });
      total += loss.item();
      count += y.numel();
    }
  });
  model.train(wasTraining);
  return total / count;
}

/**
 * Cross-entropy (nats/char) of `evalIds` under the add-one smoothed character frequencies of
 * `trainIds`: the baseline a language model must beat.
 */
export function unigramLoss(trainIds: Int32Array, evalIds: Int32Array, vocabSize: number): number {
  const counts = new Float64Array(vocabSize).fill(1);
  for (const id of trainIds) counts[id]! += 1;
  const total = trainIds.length + vocabSize;
  let nll = 0;
  for (const id of evalIds) nll -= Math.log(counts[id]! / total);
  return nll / evalIds.length;
}
