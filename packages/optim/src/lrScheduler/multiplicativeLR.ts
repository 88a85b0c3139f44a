import type { Optimizer } from "../optimizers/optimizer.js";
import { lambdasPerGroup, type LrLambda } from "./lambdaLR.js";
import { LRScheduler, type SchedulerStateDict } from "./lrScheduler.js";

/**
 * Multiplies each group's lr by `λ(epoch)` every epoch: `lr_t = lr_{t-1}·λ(t)`; one function for
 * all groups or one per group (not saved by `stateDict()`).
 * @example const sched = new MultiplicativeLR(opt, () => 0.95);
 */
export class MultiplicativeLR extends LRScheduler {
  /** The factor function of each group. */
  readonly lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], opts: { lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch);
    this.lrLambdas = lambdasPerGroup("MultiplicativeLR: Expected", optimizer, lrLambda);
    this.initialStep();
  }
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
    return groups.map((g) => g.lr);
  }
  protected settings(): SchedulerStateDict {
    return { lr_lambdas: this.lrLambdas.map(() => null) };
  }
  protected loadSettings(_sd: SchedulerStateDict): void {}
}
