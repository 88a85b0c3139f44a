import type { Optimizer } from "../optimizers/optimizer.js";
import { LRScheduler, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/**
 * Scales each group's lr by `factor` for the first `totalIters` epochs, then restores it:
 * `lr = base·(epoch < totalIters ? factor : 1)`. A simple warm-up.
 * @example const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 */
export class ConstantLR extends LRScheduler {
  /** Multiplier during the first `totalIters` epochs (default 1/3). */
  factor: number;
  /** Epochs the factor applies to (default 5). */
  totalIters: number;
  constructor(optimizer: Optimizer, opts: { factor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    const factor = opts.factor ?? 1 / 3;
    if (factor > 1 || factor < 0) throw new Error(`ConstantLR: Constant multiplicative factor expected to be between 0 and 1, got ${factor}`);
    super(optimizer, opts.lastEpoch);
    this.factor = factor;
    this.totalIters = opts.totalIters ?? 5;
    this.initialStep();
  }
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 / this.factor));
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 - this.factor : 0)));
  }
  protected settings(): SchedulerStateDict {
    return { factor: this.factor, total_iters: this.totalIters };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    this.factor = readNumber("ConstantLR", sd, "factor");
    this.totalIters = readNumber("ConstantLR", sd, "total_iters");
  }
}
