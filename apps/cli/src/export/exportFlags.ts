import type { CellKind } from "../charModel.js";
import type { ClassifyTrainOptions } from "../classify.js";
import { defaultLr, type OptimizerName, type SchedulerName } from "../optimSetup.js";
import type { TrainOptions } from "../trainOptions.js";

/** The options of `rnnkit export torch` as commander parsed them; `given` names those set on the command line. */
export interface ExportFlags {
  out?: string;
  force: boolean;
  task?: "charlm" | "classifier";
  data?: string;
  model?: CellKind;
  embedding?: number;
  hidden?: number;
  layers?: number;
  dropout?: number;
  seqLen?: number;
  batchSize?: number;
  epochs?: number;
  steps?: number;
  lr?: number;
  optimizer?: OptimizerName;
  scheduler?: SchedulerName;
  clip?: number;
  valSplit?: number;
  seed?: number;
  given: string[];
}

/** `rnnkit train`'s options with its defaults where a flag is not given. */
export function charLMFromFlags(f: ExportFlags): TrainOptions {
  const optimizer = f.optimizer ?? "adam";
  return {
    data: f.data ?? null, model: f.model ?? "lstm", embedding: f.embedding ?? 32, hidden: f.hidden ?? 128, layers: f.layers ?? 1,
    dropout: f.dropout ?? 0, seqLen: f.seqLen ?? 64, batchSize: f.batchSize ?? 32, epochs: f.epochs ?? null, steps: f.steps ?? null,
    lr: f.lr ?? defaultLr(optimizer), optimizer, scheduler: f.scheduler ?? "none", clip: f.clip ?? 1, valSplit: f.valSplit ?? 0.05,
    seed: f.seed ?? 0, sampleLength: 200,
  };
}

/** `rnnkit classify train`'s options with its defaults where a flag is not given. */
export function classifierFromFlags(f: ExportFlags): ClassifyTrainOptions {
  return {
    data: f.data, model: f.model ?? "gru", embedding: f.embedding ?? 16, hidden: f.hidden ?? 64, layers: f.layers ?? 1,
    epochs: f.epochs ?? 5, batchSize: f.batchSize ?? 64, lr: f.lr ?? 0.005, valSplit: f.valSplit ?? 0.1, seed: f.seed ?? 0,
    out: "", json: false,
  };
}

/** Checks classifier options as rnnkit classify train does, naming the flag and the value. */
export function checkClassifierOptions(o: ClassifyTrainOptions, op: string): string | null {
  for (const [k, flag] of [["embedding", "--embedding"], ["hidden", "--hidden"], ["layers", "--layers"], ["epochs", "--epochs"], ["batchSize", "--batch-size"]] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) return `${op}: ${flag} must be a positive integer, got ${o[k]}`;
  }
  if (!(o.lr > 0)) return `${op}: --lr must be positive, got ${o.lr}`;
  if (!(o.valSplit > 0 && o.valSplit < 1)) return `${op}: --val-split must be in (0, 1), got ${o.valSplit}`;
  return null;
}
