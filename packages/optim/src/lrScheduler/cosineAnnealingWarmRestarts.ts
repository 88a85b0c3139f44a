import type { Optimizer } from "../optimizers/optimizer.js";
import { LRScheduler, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/**
 * SGDR: cosine annealing restarted every `T_i` epochs, `T_0 = t0`, `T_{i+1} = T_i·tMult`:
 * `lr = η_min + (base - η_min)·(1 + cos(π·T_cur/T_i))/2`. `step(epoch)` accepts fractional epochs.
 * @example const sched = new CosineAnnealingWarmRestarts(opt, 10, { tMult: 2 });
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Length of the first period (torch's `T_0`). */
  t0: number;
  /** Period growth factor (torch's `T_mult`). */
  tMult: number;
  /** The lowest lr. */
  etaMin: number;
  /** Length of the current period (`T_i`). */
  tI: number;
  /** Epochs since the last restart (`T_cur`). */
  tCur: number;
  constructor(optimizer: Optimizer, t0: number, opts: { tMult?: number; etaMin?: number; lastEpoch?: number } = {}) {
    const tMult = opts.tMult ?? 1;
    if (!(Number.isInteger(t0) && t0 > 0)) throw new Error(`CosineAnnealingWarmRestarts: Expected positive integer T_0, but got ${t0}`);
    if (!(Number.isInteger(tMult) && tMult >= 1)) throw new Error(`CosineAnnealingWarmRestarts: Expected integer T_mult >= 1, but got ${tMult}`);
    super(optimizer, opts.lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = opts.etaMin ?? 0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }
  /** Advances one epoch, or jumps to a (possibly fractional) `epoch`. */
  override step(epoch?: number): void {
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      if (e < 0) throw new Error(`CosineAnnealingWarmRestarts: Expected non-negative epoch, but got ${e}`);
      if (e >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = e % this.t0;
        } else {
          const n = Math.floor(Math.log((e / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = e - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }
  protected settings(): SchedulerStateDict {
    return { T_0: this.t0, T_i: this.tI, T_mult: this.tMult, eta_min: this.etaMin, T_cur: this.tCur };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    const n = "CosineAnnealingWarmRestarts";
    this.t0 = readNumber(n, sd, "T_0");
    this.tI = readNumber(n, sd, "T_i");
    this.tMult = readNumber(n, sd, "T_mult");
    this.etaMin = readNumber(n, sd, "eta_min");
    this.tCur = readNumber(n, sd, "T_cur");
  }
}
