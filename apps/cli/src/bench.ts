import * as rk from "rnnkit";
import { CharLM, detachState, type CellKind, type RecurrentState } from "./charModel.js";
import { CliError } from "./errors.js";
import { checkModelSize } from "./modelSize.js";
import { table } from "./table.js";

/** Options of `rnnkit bench`. */
export interface BenchOptions {
  models: CellKind[];
  hidden: number;
  layers: number;
  batchSize: number;
  seqLen: number;
  steps: number;
  json: boolean;
  allowLarge: boolean;
}

/** Throughput of one model: training steps (forward, backward, Adam) and no-grad forward passes. */
interface BenchResult {
  model: CellKind;
  parameters: number;
  trainTokensPerSec: number;
  inferTokensPerSec: number;
  msPerStep: number;
}

/**
 * `rnnkit bench`: training and inference speed of the character model on random data, in
 * tokens (characters) per second, after one warm-up step.
 */
export function benchCommand(o: BenchOptions): void {
  const op = "rnnkit bench";
  for (const [k, flag] of [["hidden", "--hidden"], ["layers", "--layers"], ["batchSize", "--batch-size"], ["seqLen", "--seq-len"], ["steps", "--steps"]] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new CliError(`${op}: ${flag} must be a positive integer, got ${o[k]}`);
  }
  const vocab = 64;
  for (const kind of o.models) {
    checkModelSize(op, { model: kind, vocabSize: vocab, embedding: 32, hidden: o.hidden, layers: o.layers, outputs: vocab }, { batch: o.batchSize, steps: o.seqLen }, o.allowLarge);
  }
  const results: BenchResult[] = [];
  for (const kind of o.models) {
    rk.manualSeed(0);
    const model = new CharLM({ model: kind, vocabSize: vocab, embedding: 32, hidden: o.hidden, layers: o.layers, dropout: 0 });
    const opt = new rk.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = rk.randint(0, vocab, [o.batchSize, o.seqLen]);
    const y = rk.randint(0, vocab, [o.batchSize * o.seqLen]);
    let state: RecurrentState | undefined;
    const step = (): void => {
      opt.zeroGrad();
      const [logits, next] = model.forward(x, state);
      state = detachState(next);
      rk.F.crossEntropy(logits.reshape(-1, vocab), y).backward();
      opt.step();
    };
    step();
    let t0 = performance.now();
    for (let i = 0; i < o.steps; i++) step();
    const trainMs = (performance.now() - t0) / o.steps;
    t0 = performance.now();
    rk.noGrad(() => {
      for (let i = 0; i < o.steps; i++) model.forward(x);
    });
    const inferMs = (performance.now() - t0) / o.steps;
    const tokens = o.batchSize * o.seqLen;
    results.push({
      model: kind, parameters: model.numParameters(), msPerStep: trainMs,
      trainTokensPerSec: (tokens * 1000) / trainMs, inferTokensPerSec: (tokens * 1000) / inferMs,
    });
  }
  if (o.json) {
    for (const r of results) process.stdout.write(`${JSON.stringify({ event: "bench", ...r, hidden: o.hidden, layers: o.layers, batchSize: o.batchSize, seqLen: o.seqLen })}\n`);
    return;
  }
  process.stdout.write(`batch ${o.batchSize} × ${o.seqLen} characters, hidden ${o.hidden}, ${o.layers} layer(s), ${o.steps} timed steps\n\n`);
  process.stdout.write(`${table([
    ["model", "parameters", "ms/train step", "train tok/s", "inference tok/s"],
    ...results.map((r) => [r.model, String(r.parameters), r.msPerStep.toFixed(1), String(Math.round(r.trainTokensPerSec)), String(Math.round(r.inferTokensPerSec))]),
  ])}\n`);
}
