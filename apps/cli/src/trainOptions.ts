import { metaJson, type Checkpoint } from "./checkpoint.js";
import type { CellKind } from "./charModel.js";
import { TRAIN_PREFIX } from "./checkpointFormat.js";
import { CliError } from "./errors.js";
import type { OptimizerName, SchedulerName } from "./optimSetup.js";

const OP = "rnnkit train";

/** Hyper-parameters of `rnnkit train` (saved as `train.options` for `--resume`). */
export interface TrainOptions {
  data: string | null;
  model: CellKind;
  embedding: number;
  hidden: number;
  layers: number;
  dropout: number;
  seqLen: number;
  batchSize: number;
  epochs: number | null;
  steps: number | null;
  lr: number;
  optimizer: OptimizerName;
  scheduler: SchedulerName;
  clip: number;
  valSplit: number;
  seed: number;
  sampleLength: number;
}

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
}

/** The saved hyper-parameters of a resumed run, with the stopping point and data taken from the command line. */
export function resumeOptions(ckpt: Checkpoint, run: TrainRun): TrainOptions {
  const saved = metaJson<TrainOptions>(ckpt, `${TRAIN_PREFIX}options`, run.resume!, OP);
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
  if (!Number.isInteger(o.sampleLength) || o.sampleLength < 0) throw new CliError(`${OP}: --sample-length must be a non-negative integer, got ${o.sampleLength}`);
}
