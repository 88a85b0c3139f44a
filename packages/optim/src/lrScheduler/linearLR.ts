import type { Optimizer } from "../optimizers/optimizer.js";
import { LRScheduler, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/**
 * Moves each group's lr linearly from `base·startFactor` to `base·endFactor` over `totalIters`
 * epochs, then holds it: `lr = base·(s + (e - s)·min(epoch, T)/T)`. A linear warm-up.
 * @example const sched = new LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler {
  /** Multiplier at epoch 0 (default 1/3). */
  startFactor: number;
  /** Multiplier from epoch `totalIters` on (default 1). */
  endFactor: number;
  /** Epochs of the ramp (default 5). */
  totalIters: number;
  constructor(optimizer: Optimizer, opts: { startFactor?: number; endFactor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    const startFactor = opts.startFactor ?? 1 / 3;
    const endFactor = opts.endFactor ?? 1;
    if (startFactor > 1 || startFactor < 0) throw new Error(`LinearLR: Starting multiplicative factor expected to be between 0 and 1, got ${startFactor}`);
    if (endFactor > 1 || endFactor < 0) throw new Error(`LinearLR: Ending multiplicative factor expected to be between 0 and 1, got ${endFactor}`);
    super(optimizer, opts.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = opts.totalIters ?? 5;
    this.initialStep();
  }
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * s);
    if (this.lastEpoch > T) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (e - s) / (T * s + (this.lastEpoch - 1) * (e - s))));
  }
  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(T, this.lastEpoch)) / T));
  }
  protected settings(): SchedulerStateDict {
    return { start_factor: this.startFactor, end_factor: this.endFactor, total_iters: this.totalIters };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    this.startFactor = readNumber("LinearLR", sd, "start_factor");
    this.endFactor = readNumber("LinearLR", sd, "end_factor");
    this.totalIters = readNumber("LinearLR", sd, "total_iters");
  }
}
