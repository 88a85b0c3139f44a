import type { Optimizer } from "../optimizers/optimizer.js";
import { LRScheduler, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/**
 * Multiplies each group's lr by `gamma` every epoch: `lr = base·γ^epoch`.
 * @example const sched = new ExponentialLR(opt, 0.95);
 */
export class ExponentialLR extends LRScheduler {
  /** Factor applied every epoch. */
  gamma: number;
  constructor(optimizer: Optimizer, gamma: number, opts: { lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch);
    this.gamma = gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
  protected settings(): SchedulerStateDict {
    return { gamma: this.gamma };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    this.gamma = readNumber("ExponentialLR", sd, "gamma");
  }
}
