import { Tensor } from "@rnnkit/autograd";
import type { Optimizer } from "../optimizers/optimizer.js";
import { perGroup, readNumber, readNumbers, type SchedulerStateDict } from "./lrScheduler.js";

/** Options of `ReduceLROnPlateau` (torch's defaults). */
export interface ReduceLROnPlateauOptions {
  /** `"min"` (default): the metric should fall; `"max"`: it should rise. */
  mode?: "min" | "max";
  /** lr multiplier on a plateau (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Minimum significant change (default 1e-4). */
  threshold?: number;
  /** `"rel"` (default): relative to the best; `"abs"`: absolute. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound of each group's lr (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Cuts each group's lr by `factor` when a metric stops improving for `patience` epochs:
 * `lr = max(lr·factor, minLr)` (skipped when the change is below `eps`), then waits `cooldown`.
 * Improvement (min, rel): `a < best·(1 - threshold)`; (min, abs): `a < best - threshold`.
 * @example
 * const sched = new ReduceLROnPlateau(opt, { patience: 3 });
 * sched.step(validationLoss);
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  /** Whether the metric should fall (`min`) or rise (`max`). */
  mode: "min" | "max";
  /** lr multiplier on a plateau. */
  factor: number;
  /** Bad epochs tolerated before a reduction. */
  patience: number;
  /** Minimum significant change. */
  threshold: number;
  /** Whether `threshold` is relative or absolute. */
  thresholdMode: "rel" | "abs";
  /** Epochs to wait after a reduction. */
  cooldown: number;
  /** Lower bound of each group's lr. */
  minLrs: number[];
  /** Smallest lr change applied. */
  eps: number;
  /** Best metric so far. */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Epochs recorded so far. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: Optimizer, opts: ReduceLROnPlateauOptions = {}) {
    this.factor = opts.factor ?? 0.1;
    if (this.factor >= 1) throw new Error(`ReduceLROnPlateau: Factor should be < 1.0, got ${this.factor}`);
    this.optimizer = optimizer;
    const minLr = opts.minLr ?? 0;
    if (typeof minLr !== "number" && minLr.length !== optimizer.paramGroups.length) {
      throw new Error(`ReduceLROnPlateau: expected ${optimizer.paramGroups.length} min_lrs, got ${minLr.length}`);
    }
    this.minLrs = perGroup("ReduceLROnPlateau", optimizer, "min_lr", minLr);
    this.patience = opts.patience ?? 10;
    this.cooldown = opts.cooldown ?? 0;
    this.mode = opts.mode ?? "min";
    this.threshold = opts.threshold ?? 1e-4;
    this.thresholdMode = opts.thresholdMode ?? "rel";
    this.eps = opts.eps ?? 1e-8;
    if (this.mode !== "min" && this.mode !== "max") throw new Error(`ReduceLROnPlateau: mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") throw new Error(`ReduceLROnPlateau: threshold mode ${String(this.thresholdMode)} is unknown!`);
    this.best = this.modeWorse;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The worst possible metric for the mode (the starting `best`). */
  get modeWorse(): number {
    return this.mode === "min" ? Infinity : -Infinity;
  }

  /** True while waiting after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1 - this.threshold);
    if (this.mode === "min") return a < best - this.threshold;
    if (this.thresholdMode === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the lrs after `patience` bad epochs. */
  step(metrics: number | Tensor, epoch?: number): void {
    const metric = metrics instanceof Tensor ? metrics.item() : metrics;
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const old = g.lr;
      const next = Math.max(old * this.factor, this.minLrs[i]!);
      if (old - next > this.eps) g.lr = next;
    });
  }

  /** Each group's lr after the last `step()`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's attributes under torch's names. */
  stateDict(): SchedulerStateDict {
    return {
      factor: this.factor,
      min_lrs: [...this.minLrs],
      patience: this.patience,
      verbose: false,
      cooldown: this.cooldown,
      cooldown_counter: this.cooldownCounter,
      mode: this.mode,
      threshold: this.threshold,
      threshold_mode: this.thresholdMode,
      best: this.best,
      num_bad_epochs: this.numBadEpochs,
      mode_worse: this.modeWorse,
      eps: this.eps,
      last_epoch: this.lastEpoch,
      _last_lr: [...this.lastLr],
    };
  }

  /** Restores the attributes saved by `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void {
    const n = "ReduceLROnPlateau";
    this.factor = readNumber(n, sd, "factor");
    this.minLrs = readNumbers(n, sd, "min_lrs");
    this.patience = readNumber(n, sd, "patience");
    this.cooldown = readNumber(n, sd, "cooldown");
    this.cooldownCounter = readNumber(n, sd, "cooldown_counter");
    if (sd.mode === "min" || sd.mode === "max") this.mode = sd.mode;
    this.threshold = readNumber(n, sd, "threshold");
    if (sd.threshold_mode === "rel" || sd.threshold_mode === "abs") this.thresholdMode = sd.threshold_mode;
    this.best = readNumber(n, sd, "best");
    this.numBadEpochs = readNumber(n, sd, "num_bad_epochs");
    this.eps = readNumber(n, sd, "eps");
    this.lastEpoch = readNumber(n, sd, "last_epoch");
    if (Array.isArray(sd._last_lr)) this.lastLr = readNumbers(n, sd, "_last_lr");
  }
}
