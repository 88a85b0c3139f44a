import * as rk from "rnnkit";
import type { CharLM, CharLMConfig, RecurrentState } from "./charModel.js";
import type { Checkpoint } from "./checkpoint.js";
import { CHARLM_FORMAT, META, OPTIM_PREFIX, packTensors, TRAIN_PREFIX } from "./checkpointFormat.js";
import type { AnyOptimizer, Schedule } from "./optimSetup.js";
import type { Progress, TrainOptions } from "./trainOptions.js";

/** What a training checkpoint is assembled from. */
export interface TrainingSnapshot {
  opts: TrainOptions;
  config: CharLMConfig;
  chars: readonly string[];
  /** Name of the training text for the summary. */
  dataName: string;
  dataHash: string;
  /** Unigram validation loss (NaN without validation). */
  baseline: number;
  progress: Progress;
  lastReport: { trainLoss: number; valLoss: number | null } | null;
  model: CharLM;
  optimizer: AnyOptimizer;
  schedule: Schedule;
  /** The carried hidden state, saved when the run stops inside an epoch. */
  state?: RecurrentState;
}

/**
 * The checkpoint of a training run: the model's state dict, the metadata `sample`/`eval` read
 * (`format`, `config`, `vocab`, `summary`), and the resume state — `train.options`,
 * `train.progress`, `train.rng`, `train.data`, and the optimizer and scheduler state dicts
 * with their tensors moved out under `optim.` and `train.scheduler.`; the carried state as
 * `train.state.h` / `train.state.c`.
 */
export function buildCheckpoint(s: TrainingSnapshot): Checkpoint {
  const tensors: Record<string, rk.Tensor> = { ...s.model.stateDict() };
  const last = s.lastReport ?? s.progress.history[s.progress.history.length - 1];
  const metadata: Record<string, string> = {
    [META.format]: CHARLM_FORMAT,
    [META.config]: JSON.stringify(s.config),
    [META.vocab]: JSON.stringify(s.chars),
    [META.summary]: JSON.stringify({
      data: s.dataName, epochs: s.progress.epoch, steps: s.progress.globalStep,
      trainLoss: last?.trainLoss ?? null, valLoss: last?.valLoss ?? null, unigramValLoss: Number.isFinite(s.baseline) ? s.baseline : null,
      seconds: Math.round(s.progress.seconds),
    }),
    [`${TRAIN_PREFIX}options`]: JSON.stringify(s.opts),
    [`${TRAIN_PREFIX}data`]: JSON.stringify({ dataHash: s.dataHash }),
    [`${TRAIN_PREFIX}progress`]: JSON.stringify(s.progress),
    [`${TRAIN_PREFIX}rng`]: JSON.stringify({ default: rk.defaultGenerator.getState() }),
    [`${TRAIN_PREFIX}optim`]: JSON.stringify(packTensors(s.optimizer.stateDict(), OPTIM_PREFIX, tensors)),
    [`${TRAIN_PREFIX}scheduler`]: JSON.stringify(packTensors(s.schedule.stateDict(), `${TRAIN_PREFIX}scheduler.`, tensors)),
  };
  if (s.state !== undefined) {
    if (Array.isArray(s.state)) {
      tensors[`${TRAIN_PREFIX}state.h`] = s.state[0];
      tensors[`${TRAIN_PREFIX}state.c`] = s.state[1];
    } else {
      tensors[`${TRAIN_PREFIX}state.h`] = s.state;
    }
  }
  return { tensors, metadata };
}
