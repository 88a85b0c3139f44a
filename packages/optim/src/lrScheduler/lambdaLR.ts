import type { Optimizer } from "../optimizers/optimizer.js";
import { LRScheduler, type SchedulerStateDict } from "./lrScheduler.js";

/** A multiplicative factor of the base lr as a function of the epoch. */
export type LrLambda = (epoch: number) => number;

/** One function for every param group, or the per-group list after checking its length. */
export function lambdasPerGroup(what: string, optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (typeof lrLambda === "function") return Array.from({ length: n }, () => lrLambda);
  if (lrLambda.length !== n) throw new Error(`${what} ${n} lr_lambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}

/**
 * Sets each group's lr to `base·λ(epoch)`; one function for all groups or one per group.
 * The functions are not saved by `stateDict()` (as in torch, where plain functions are not).
 * @example const sched = new LambdaLR(opt, (e) => 0.95 ** e);
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], opts: { lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch);
    this.lrLambdas = lambdasPerGroup("LambdaLR: expected", optimizer, lrLambda);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i]!(this.lastEpoch));
  }
  protected settings(): SchedulerStateDict {
    return { lr_lambdas: this.lrLambdas.map(() => null) };
  }
  protected loadSettings(_sd: SchedulerStateDict): void {}
}
