import type { Optimizer, ParamGroup } from "../optimizers/optimizer.js";

/** A value in a scheduler's state dict. */
export type SchedulerValue = number | boolean | string | null | readonly number[] | Readonly<Record<string, number>> | readonly null[];

/** A scheduler's state dict: torch's attribute names (snake_case) and values. */
export type SchedulerStateDict = Record<string, SchedulerValue>;

/** Reads a number from a scheduler state dict, with a clear error when it is missing. */
export function readNumber(owner: string, sd: SchedulerStateDict, key: string): number {
  const v = sd[key];
  if (typeof v !== "number") throw new Error(`${owner}.loadStateDict: ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Reads a number list from a scheduler state dict. */
export function readNumbers(owner: string, sd: SchedulerStateDict, key: string): number[] {
  const v = sd[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) throw new Error(`${owner}.loadStateDict: ${key} must be a list of numbers, got ${JSON.stringify(v)}`);
  return [...(v as number[])];
}

/** A group's number-valued entry (`lr`, `initialLr`, `maxLr`...). */
export function groupNumber(g: ParamGroup, key: string): number {
  const v = g[key];
  if (typeof v !== "number") throw new Error(`lrScheduler: param group has no numeric ${key}, got ${JSON.stringify(v)}`);
  return v;
}

/** A per-group value given as one number or one per group. */
export function perGroup(owner: string, optimizer: Optimizer, name: string, v: number | readonly number[]): number[] {
  if (typeof v === "number") return optimizer.paramGroups.map(() => v);
  if (v.length !== optimizer.paramGroups.length) throw new Error(`${owner}: expected ${optimizer.paramGroups.length} values for ${name}, got ${v.length}`);
  return [...v];
}

/**
 * Base of the epoch-indexed schedulers, as torch's `_LRScheduler`: records each group's
 * `initialLr`, then every `step()` advances `lastEpoch` and writes the new lr into the groups.
 * The constructor of a subclass ends with `initialStep()` (torch's first implicit step).
 * @example
 * const sched = new StepLR(opt, 10, { gamma: 0.5 });
 * for (...) { opt.step(); sched.step(); }
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** Each group's `initialLr`, the lr the schedule starts from. */
  baseLrs: number[];
  /** Index of the last epoch (step) taken; -1 before the first. */
  lastEpoch: number;
  protected stepCount = 0;
  protected lastLr: number[] = [];

  constructor(optimizer: Optimizer, lastEpoch = -1) {
    this.optimizer = optimizer;
    const name = this.constructor.name;
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) {
        if (g.initialLr === undefined) g.initialLr = g.lr;
      } else if (g.initialLr === undefined) {
        throw new Error(`${name}: param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g) => groupNumber(g, "initialLr"));
    this.lastEpoch = lastEpoch;
  }

  /** torch's `_initial_step`: the first step, taken by the constructor. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The lr of each group for `lastEpoch`, from the current lrs (the recursive form). */
  protected abstract getLr(): number[];
  /** The lr of each group straight from `lastEpoch`, when the schedule has a closed form. */
  protected closedFormLr(): number[] | null {
    return null;
  }
  /** The scheduler's own settings for its state dict, under torch's names. */
  protected abstract settings(): SchedulerStateDict;
  /** Restores the settings saved by `settings()`. */
  protected abstract loadSettings(sd: SchedulerStateDict): void;

  /** Advances one epoch (or jumps to `epoch`, using the closed form where there is one). */
  step(epoch?: number): void {
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lr of each group set by the last `step()`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** torch's layout: `base_lrs`, `last_epoch`, `_step_count`, `_last_lr` and the settings. */
  stateDict(): SchedulerStateDict {
    return {
      ...this.settings(),
      base_lrs: [...this.baseLrs],
      last_epoch: this.lastEpoch,
      verbose: false,
      _step_count: this.stepCount,
      _get_lr_called_within_step: false,
      _last_lr: [...this.lastLr],
    };
  }

  /** Restores a state dict from `stateDict()`; load the optimizer's state dict too. */
  loadStateDict(sd: SchedulerStateDict): void {
    const name = this.constructor.name;
    this.loadSettings(sd);
    this.baseLrs = readNumbers(name, sd, "base_lrs");
    this.lastEpoch = readNumber(name, sd, "last_epoch");
    this.stepCount = readNumber(name, sd, "_step_count");
    this.lastLr = readNumbers(name, sd, "_last_lr");
  }
}
