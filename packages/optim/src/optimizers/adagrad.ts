import { Tensor } from "@rnnkit/autograd";
import { NDArray } from "@rnnkit/tensor";
import { check, flag, num, Optimizer, stateLike, storage, type HyperParams, type ParamGroup, type ParamGroupSpec } from "./optimizer.js";

/** Options of `Adagrad` (torch's defaults: lr 1e-2, eps 1e-10). */
export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

/**
 * Adagrad, torch 1.13's single-tensor rule (t = step): `g = ±∇ + λ·p`;
 * `clr = lr / (1 + (t - 1)·lrDecay)`; `s += g²`; `p -= clr · g / (√s + ε)`.
 * State (created for every parameter at construction, as torch): `step`, `sum`.
 * @example const opt = new Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 */
export class Adagrad extends Optimizer {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec[], opts: AdagradOptions = {}) {
    super(params, {
      lr: opts.lr ?? 1e-2,
      lrDecay: opts.lrDecay ?? 0,
      eps: opts.eps ?? 1e-10,
      weightDecay: opts.weightDecay ?? 0,
      initialAccumulatorValue: opts.initialAccumulatorValue ?? 0,
      maximize: opts.maximize ?? false,
    });
  }

  protected override torchFlags(): HyperParams {
    return { foreach: null };
  }

  protected validate(g: ParamGroup): void {
    check("Adagrad", num(g, "lr") >= 0, "learning rate", g.lr);
    check("Adagrad", num(g, "lrDecay") >= 0, "lr_decay value", g.lrDecay as number);
    check("Adagrad", num(g, "weightDecay") >= 0, "weight_decay value", g.weightDecay as number);
    check("Adagrad", num(g, "initialAccumulatorValue") >= 0, "initial_accumulator_value value", g.initialAccumulatorValue as number);
    check("Adagrad", num(g, "eps") >= 0, "epsilon value", g.eps as number);
  }

  /** torch fills `sum` from the constructor's initialAccumulatorValue, whatever the group says. */
  protected override initGroup(g: ParamGroup): void {
    const init = this.defaults.initialAccumulatorValue as number;
    for (const p of g.params) {
      const state = this.stateOf(p);
      state.step = new Tensor(NDArray.scalar(0, "float32"));
      state.sum = stateLike(p, init);
    }
  }

  protected updateGroup(g: ParamGroup): void {
    const lr = num(g, "lr");
    const lrDecay = num(g, "lrDecay");
    const eps = num(g, "eps");
    const wd = num(g, "weightDecay");
    const sign = flag(g, "maximize") ? -1 : 1;
    const f = Math.fround;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (!state.step) state.step = new Tensor(NDArray.scalar(0, "float32"));
      if (!state.sum) state.sum = stateLike(p, num(g, "initialAccumulatorValue"));
      const stepData = storage(state.step as Tensor);
      stepData[0] = stepData[0]! + 1;
      const clr = lr / (1 + (stepData[0]! - 1) * lrDecay);
      const x = storage(p, "Adagrad.step");
      const grad = this.gradData(p, p.grad);
      const sum = storage(state.sum as Tensor);
      for (let i = 0; i < x.length; i++) {
        let gi = sign * grad[i]!;
        if (wd !== 0) gi = f(gi + wd * x[i]!);
        sum[i] = sum[i]! + gi * gi;
        const std = f(f(Math.sqrt(sum[i]!)) + eps);
        x[i] = x[i]! - clr * (gi / std);
      }
    }
  }
}
