import type { Optimizer } from "../optimizers/optimizer.js";
import { LRScheduler, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/** Python's modulo (the result takes the divisor's sign). */
function pyMod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * Cosine annealing in torch's recursive form: `lr_t = η_min + (lr_{t-1} - η_min)·(1 + cos(πt/T))
 * / (1 + cos(π(t-1)/T))`, which follows `η_min + (base - η_min)·(1 + cos(πt/T))/2` and climbs
 * back after `T` epochs (no restart).
 * @example const sched = new CosineAnnealingLR(opt, 100, { etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period T in epochs (torch's `T_max`). */
  tMax: number;
  /** The lowest lr (torch's `eta_min`). */
  etaMin: number;
  constructor(optimizer: Optimizer, tMax: number, opts: { etaMin?: number; lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch);
    this.tMax = tMax;
    this.etaMin = opts.etaMin ?? 0;
    this.initialStep();
  }
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const t = this.lastEpoch;
    const T = this.tMax;
    const eta = this.etaMin;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) return this.baseLrs.map((b) => eta + ((b - eta) * (1 + Math.cos((t * Math.PI) / T))) / 2);
    if (pyMod(t - 1 - T, 2 * T) === 0) return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    return groups.map((g) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (g.lr - eta) + eta);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
  protected settings(): SchedulerStateDict {
    return { T_max: this.tMax, eta_min: this.etaMin };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    this.tMax = readNumber("CosineAnnealingLR", sd, "T_max");
    this.etaMin = readNumber("CosineAnnealingLR", sd, "eta_min");
  }
}
