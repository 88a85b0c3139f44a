import type { Optimizer } from "../optimizers/optimizer.js";
import { groupNumber, LRScheduler, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs: `lr = base·γ^⌊epoch/stepSize⌋`.
 * @example const sched = new StepLR(opt, 30, { gamma: 0.1 }); // lr 0.05, then 0.005 from epoch 30
 */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  stepSize: number;
  /** Factor applied every `stepSize` epochs. */
  gamma: number;
  constructor(optimizer: Optimizer, stepSize: number, opts: { gamma?: number; lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch);
    this.stepSize = stepSize;
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => groupNumber(g, "lr") * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
  protected settings(): SchedulerStateDict {
    return { step_size: this.stepSize, gamma: this.gamma };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    this.stepSize = readNumber("StepLR", sd, "step_size");
    this.gamma = readNumber("StepLR", sd, "gamma");
  }
}
