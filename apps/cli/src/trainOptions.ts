import type * as rk from "rnnkit";
import { metaValue, type Checkpoint } from "./checkpoint.js";
import { CELL_KINDS } from "./charModel.js";
import { TRAIN_PREFIX } from "./checkpointFormat.js";
import { CliError } from "./errors.js";
import { OPTIMIZERS, SCHEDULERS } from "./optimSetup.js";
import { arrayOf, int, nullable, num, obj, oneOf, str } from "./schema.js";

const OP = "rnnkit train";

/**
 * Hyper-parameters of `rnnkit train` (saved as `train.options` for `--resume`). One definition
 * with the PyTorch project writer, which trains from the same options.
 */
export type TrainOptions = rk.torchExport.CharLMTrainOptions;

/** Where training stands (saved as `train.progress`). */
export interface Progress {
  epoch: number;
  stepInEpoch: number;
  globalStep: number;
  epochLossSum: number;
  epochLossCount: number;
  history: { epoch: number; steps: number; trainLoss: number; valLoss: number }[];
  seconds: number;
  /** Steps the learning-rate schedule spans, fixed by the first run (see `scheduleLength`). */
  scheduleSteps: number;
}

/** What the command line gave besides the hyper-parameters. */
export interface TrainRun {
  options: TrainOptions;
  /** Names of options given explicitly on the command line. */
  explicit: ReadonlySet<keyof TrainOptions>;
  out: string;
  resume: string | null;
  json: boolean;
  /** Lift the parameter and memory ceilings (`--allow-large`). */
  allowLarge: boolean;
}

const posInt = int(1);
const natInt = int(0);

/** Schema of the saved `train.options`. */
export const trainOptionsCheck = obj<TrainOptions>({
  data: nullable(str()), model: oneOf(CELL_KINDS), embedding: posInt, hidden: posInt, layers: posInt,
  dropout: num(0, 1, true), seqLen: posInt, batchSize: posInt, epochs: nullable(posInt), steps: nullable(posInt),
  lr: num(Number.MIN_VALUE), optimizer: oneOf(OPTIMIZERS), scheduler: oneOf(SCHEDULERS), clip: num(0),
  valSplit: num(0, 1, true), seed: natInt, sampleLength: natInt,
});

/** Schema of the saved `train.progress`. */
export const progressCheck = obj<Progress>({
  epoch: natInt, stepInEpoch: natInt, globalStep: natInt, epochLossSum: num(0), epochLossCount: natInt,
  history: arrayOf(obj({ epoch: posInt, steps: natInt, trainLoss: num(0), valLoss: num(0) })),
  seconds: num(0), scheduleSteps: posInt,
});

/** The saved hyper-parameters of a resumed run, with the stopping point and data taken from the command line. */
export function resumeOptions(ckpt: Checkpoint, run: TrainRun): TrainOptions {
  const saved = metaValue(ckpt.metadata, `${TRAIN_PREFIX}options`, trainOptionsCheck, run.resume!, OP);
  const opts: TrainOptions = { ...saved };
  const overridable = new Set<keyof TrainOptions>(["epochs", "steps", "sampleLength", "data"]);
  for (const k of run.explicit) {
    if (overridable.has(k)) {
      (opts as unknown as Record<string, unknown>)[k] = run.options[k];
    } else if (run.options[k] !== saved[k]) {
      const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      throw new CliError(`${OP}: --resume continues with the checkpoint's settings; ${flag} ${String(run.options[k])} differs from its ${String(saved[k])}`);
    }
  }
  if (run.explicit.has("epochs") && !run.explicit.has("steps")) opts.steps = null;
  if (run.explicit.has("steps") && !run.explicit.has("epochs")) opts.epochs = null;
  return opts;
}

/** Longest sample printed after an epoch (`rnnkit sample` streams any length). */
export const MAX_SAMPLE_LENGTH = 1_000_000;

/** Checks option values, naming the flag and the value on error. */
export function checkOptions(o: TrainOptions): void {
  const positiveInts: [keyof TrainOptions, string][] = [
    ["embedding", "--embedding"], ["hidden", "--hidden"], ["layers", "--layers"], ["seqLen", "--seq-len"], ["batchSize", "--batch-size"],
  ];
  for (const [k, flag] of positiveInts) {
    const v = o[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new CliError(`${OP}: ${flag} must be a positive integer, got ${String(v)}`);
  }
  if (o.epochs !== null && (!Number.isInteger(o.epochs) || o.epochs < 1)) throw new CliError(`${OP}: --epochs must be a positive integer, got ${o.epochs}`);
  if (o.steps !== null && (!Number.isInteger(o.steps) || o.steps < 1)) throw new CliError(`${OP}: --steps must be a positive integer, got ${o.steps}`);
  if (!(o.dropout >= 0 && o.dropout < 1)) throw new CliError(`${OP}: --dropout must be in [0, 1), got ${o.dropout}`);
  if (!(o.valSplit >= 0 && o.valSplit < 1)) throw new CliError(`${OP}: --val-split must be in [0, 1), got ${o.valSplit}`);
  if (!(o.lr > 0)) throw new CliError(`${OP}: --lr must be positive, got ${o.lr}`);
  if (!(o.clip >= 0)) throw new CliError(`${OP}: --clip must be >= 0 (0 disables clipping), got ${o.clip}`);
  if (!Number.isInteger(o.sampleLength) || o.sampleLength < 0 || o.sampleLength > MAX_SAMPLE_LENGTH) {
    throw new CliError(`${OP}: --sample-length must be an integer in [0, ${MAX_SAMPLE_LENGTH}], got ${o.sampleLength}`);
  }
  if (o.scheduler === "plateau" && o.valSplit === 0) {
    throw new CliError(`${OP}: --scheduler plateau lowers the lr when the validation loss stops falling, and --val-split 0 leaves no validation text`, 1, "use --val-split > 0 (e.g. 0.05) or another --scheduler");
  }
}
