import * as rk from "rnnkit";

/** Optimizers the CLI offers. */
export type OptimizerName = "sgd" | "adam" | "adamw" | "rmsprop";
/** Every `OptimizerName`, for `--optimizer`. */
export const OPTIMIZERS: readonly OptimizerName[] = ["sgd", "adam", "adamw", "rmsprop"];

/** Learning-rate schedules the CLI offers. */
export type SchedulerName = "none" | "step" | "cosine" | "onecycle" | "plateau";
/** Every `SchedulerName`, for `--scheduler`. */
export const SCHEDULERS: readonly SchedulerName[] = ["none", "step", "cosine", "onecycle", "plateau"];

/** Default learning rate of each optimizer for the CLI's models. */
export function defaultLr(name: OptimizerName): number {
  return name === "sgd" ? 0.5 : 0.003;
}

/** Any of the CLI's optimizers. */
export type AnyOptimizer = rk.optim.SGD | rk.optim.Adam | rk.optim.AdamW | rk.optim.RMSprop;

/** The optimizer `name` over `params` at learning rate `lr` (torch defaults otherwise). */
export function makeOptimizer(name: OptimizerName, params: rk.Tensor[], lr: number): AnyOptimizer {
  switch (name) {
    case "sgd": return new rk.optim.SGD(params, { lr, momentum: 0.9 });
    case "adam": return new rk.optim.Adam(params, { lr });
    case "adamw": return new rk.optim.AdamW(params, { lr });
    case "rmsprop": return new rk.optim.RMSprop(params, { lr });
  }
}

/** The current learning rate of the first parameter group. */
export function currentLr(opt: AnyOptimizer): number {
  return opt.paramGroups[0]!.lr;
}

/**
 * A learning-rate schedule with one calling convention: `afterStep()` after every optimizer
 * step, `afterEpoch(valLoss)` after each epoch's validation. `step` halves the rate every
 * epoch, `cosine` and `onecycle` run over `totalSteps` steps, `plateau` halves it when the
 * validation loss stops improving.
 */
export class Schedule {
  private readonly sched:
    | rk.optim.lrScheduler.StepLR
    | rk.optim.lrScheduler.CosineAnnealingLR
    | rk.optim.lrScheduler.OneCycleLR
    | rk.optim.lrScheduler.ReduceLROnPlateau
    | null;

  constructor(readonly name: SchedulerName, opt: AnyOptimizer, lr: number, totalSteps: number) {
    const L = rk.optim.lrScheduler;
    switch (name) {
      case "none": this.sched = null; break;
      case "step": this.sched = new L.StepLR(opt, 1, { gamma: 0.5 }); break;
      case "cosine": this.sched = new L.CosineAnnealingLR(opt, totalSteps); break;
      case "onecycle": this.sched = new L.OneCycleLR(opt, lr, { totalSteps }); break;
      case "plateau": this.sched = new L.ReduceLROnPlateau(opt, { factor: 0.5, patience: 0 }); break;
    }
  }

  afterStep(): void {
    if (this.sched instanceof rk.optim.lrScheduler.CosineAnnealingLR || this.sched instanceof rk.optim.lrScheduler.OneCycleLR) this.sched.step();
  }

  afterEpoch(valLoss: number): void {
    if (this.sched instanceof rk.optim.lrScheduler.StepLR) this.sched.step();
    else if (this.sched instanceof rk.optim.lrScheduler.ReduceLROnPlateau) this.sched.step(valLoss);
  }

  /** The scheduler's torch-layout state (empty for `none`). */
  stateDict(): rk.optim.lrScheduler.SchedulerStateDict {
    return this.sched ? this.sched.stateDict() : {};
  }

  loadStateDict(sd: rk.optim.lrScheduler.SchedulerStateDict): void {
    if (this.sched) this.sched.loadStateDict(sd);
  }
}
