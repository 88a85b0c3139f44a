import type { Optimizer, ParamGroup } from "../optimizers/optimizer.js";
import { groupNumber, LRScheduler, perGroup, readNumber, type SchedulerStateDict } from "./lrScheduler.js";

/** Options of `OneCycleLR` (torch's defaults). */
export interface OneCycleLROptions {
  /** Total number of steps; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** `"cos"` (default) or `"linear"`. */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (SGD) or beta1 (Adam) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, annihilate) instead of two. */
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}
function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/**
 * The 1cycle policy: the lr rises from `maxLr/divFactor` to `maxLr` over `pctStart` of the
 * steps, then anneals to `initialLr/finalDivFactor` (cosine or linear); momentum (or Adam's
 * beta1) moves the opposite way between `maxMomentum` and `baseMomentum`. Step it once per batch.
 * @example const sched = new OneCycleLR(opt, 0.1, { totalSteps: 1000 });
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  totalSteps: number;
  /** `"cos"` or `"linear"` annealing. */
  readonly annealStrategy: "cos" | "linear";
  /** Whether momentum (or beta1) is cycled. */
  readonly cycleMomentum: boolean;
  /** True when the optimizer has `betas` (Adam): beta1 is cycled instead of momentum. */
  readonly useBeta1: boolean;
  private readonly phases: Phase[];

  constructor(optimizer: Optimizer, maxLr: number | readonly number[], opts: OneCycleLROptions = {}) {
    const lastEpoch = opts.lastEpoch ?? -1;
    const totalSteps = OneCycleLR.totalStepsOf(opts);
    const pctStart = opts.pctStart ?? 0.3;
    if (!(pctStart >= 0 && pctStart <= 1)) throw new Error(`OneCycleLR: Expected float between 0 and 1 pct_start, but got ${pctStart}`);
    const annealStrategy = opts.annealStrategy ?? "cos";
    if (annealStrategy !== "cos" && annealStrategy !== "linear") {
      throw new Error(`OneCycleLR: anneal_strategy must by one of 'cos' or 'linear', instead got ${String(annealStrategy)}`);
    }
    const divFactor = opts.divFactor ?? 25;
    const finalDivFactor = opts.finalDivFactor ?? 1e4;
    const maxLrs = perGroup("OneCycleLR", optimizer, "max_lr", maxLr);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = g.initialLr / finalDivFactor;
      });
    }
    const cycleMomentum = opts.cycleMomentum ?? true;
    const useBeta1 = "betas" in optimizer.defaults;
    if (cycleMomentum) {
      if (!("momentum" in optimizer.defaults) && !useBeta1) throw new Error("OneCycleLR: optimizer must support momentum with `cycle_momentum` option enabled");
      const maxMomentums = perGroup("OneCycleLR", optimizer, "max_momentum", opts.maxMomentum ?? 0.95);
      const baseMomentums = perGroup("OneCycleLR", optimizer, "base_momentum", opts.baseMomentum ?? 0.85);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((g, i) => {
          setMomentum(g, useBeta1, maxMomentums[i]!);
          g.maxMomentum = maxMomentums[i]!;
          g.baseMomentum = baseMomentums[i]!;
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    const up = { startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" };
    this.phases = opts.threePhase
      ? [
          { endStep: pctStart * totalSteps - 1, ...up },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: "maxLr", endLr: "initialLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
          { endStep: totalSteps - 1, startLr: "initialLr", endLr: "minLr", startMomentum: "maxMomentum", endMomentum: "maxMomentum" },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, ...up },
          { endStep: totalSteps - 1, startLr: "maxLr", endLr: "minLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
        ];
    this.initialStep();
  }

  private static totalStepsOf(opts: OneCycleLROptions): number {
    const { totalSteps, epochs, stepsPerEpoch } = opts;
    if (totalSteps === undefined && epochs === undefined && stepsPerEpoch === undefined) {
      throw new Error("OneCycleLR: You must define either total_steps OR (epochs AND steps_per_epoch)");
    }
    if (totalSteps !== undefined) {
      if (!(Number.isInteger(totalSteps) && totalSteps > 0)) throw new Error(`OneCycleLR: Expected positive integer total_steps, but got ${totalSteps}`);
      return totalSteps;
    }
    if (!(Number.isInteger(epochs) && epochs! > 0)) throw new Error(`OneCycleLR: Expected positive integer epochs, but got ${epochs}`);
    if (!(Number.isInteger(stepsPerEpoch) && stepsPerEpoch! > 0)) throw new Error(`OneCycleLR: Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
    return epochs! * stepsPerEpoch!;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new Error(`OneCycleLR: Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    const anneal = this.annealStrategy === "cos" ? annealCos : annealLinear;
    return this.optimizer.paramGroups.map((g) => {
      let startStep = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          if (this.cycleMomentum) {
            setMomentum(g, this.useBeta1, anneal(groupNumber(g, phase.startMomentum), groupNumber(g, phase.endMomentum), pct));
          }
          return anneal(groupNumber(g, phase.startLr), groupNumber(g, phase.endLr), pct);
        }
        startStep = phase.endStep;
      }
      throw new Error("OneCycleLR: no schedule phase");
    });
  }

  protected settings(): SchedulerStateDict {
    return { total_steps: this.totalSteps, anneal_strategy: this.annealStrategy, cycle_momentum: this.cycleMomentum, use_beta1: this.useBeta1 };
  }
  protected loadSettings(sd: SchedulerStateDict): void {
    this.totalSteps = readNumber("OneCycleLR", sd, "total_steps");
  }
}

/** Writes SGD's momentum or Adam's beta1. */
function setMomentum(g: ParamGroup, useBeta1: boolean, m: number): void {
  if (useBeta1) {
    const b: unknown = g.betas;
    const rest = Array.isArray(b) ? b.slice(1).filter((x): x is number => typeof x === "number") : [];
    g.betas = [m, ...rest];
  } else {
    g.momentum = m;
  }
}
