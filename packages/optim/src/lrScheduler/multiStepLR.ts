import type { Optimizer } from "../optimizers/optimizer.js";
import { LRScheduler, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/**
 * Multiplies each group's lr by `gamma` at each milestone epoch (twice for a repeated one).
 * @example const sched = new MultiStepLR(opt, [30, 80], { gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  /** How many times each milestone was listed (torch's Counter). */
  milestones: Map<number, number>;
  /** Factor applied at each milestone. */
  gamma: number;
  constructor(optimizer: Optimizer, milestones: readonly number[], opts: { gamma?: number; lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch);
    this.milestones = new Map();
    for (const m of milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }
  protected getLr(): number[] {
    const count = this.milestones.get(this.lastEpoch);
    const groups = this.optimizer.paramGroups;
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }
  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const [m, c] of this.milestones) if (m <= this.lastEpoch) passed += c;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
  protected settings(): SchedulerStateDict {
    return { milestones: Object.fromEntries([...this.milestones].map(([m, c]) => [String(m), c])), gamma: this.gamma };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    const m = sd.milestones;
    if (m === null || typeof m !== "object" || Array.isArray(m)) throw new Error(`MultiStepLR.loadStateDict: milestones must be a {epoch: count} record, got ${JSON.stringify(m)}`);
    this.milestones = new Map(Object.entries(m as Record<string, number>).map(([k, c]) => [Number(k), c]));
    this.gamma = readNumber("MultiStepLR", sd, "gamma");
  }
}
