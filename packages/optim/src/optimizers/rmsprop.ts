import type { Tensor } from "@rnnkit/autograd";
import { check, flag, num, Optimizer, stateLike, storage, type HyperParams, type ParamGroup, type ParamGroupSpec } from "./optimizer.js";

/** Options of `RMSprop` (torch's defaults: lr 1e-2, alpha 0.99, eps 1e-8). */
export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

/**
 * RMSprop, torch 1.13's single-tensor rule: `g = ±∇ + λ·p`; `s = α·s + (1 - α)·g²`;
 * centered: `ḡ = α·ḡ + (1 - α)·g`, `d = √(s - ḡ²) + ε`, else `d = √s + ε`;
 * momentum: `b = μ·b + g/d`, `p -= lr·b`, else `p -= lr·g/d`.
 * State: `step` (a number, as torch), `square_avg`, `momentum_buffer`, `grad_avg`.
 * @example const opt = new RMSprop(model.parameters(), { lr: 1e-2, centered: true });
 */
export class RMSprop extends Optimizer {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec[], opts: RMSpropOptions = {}) {
    super(params, {
      lr: opts.lr ?? 1e-2,
      momentum: opts.momentum ?? 0,
      alpha: opts.alpha ?? 0.99,
      eps: opts.eps ?? 1e-8,
      centered: opts.centered ?? false,
      weightDecay: opts.weightDecay ?? 0,
      maximize: opts.maximize ?? false,
    });
  }

  protected override torchFlags(): HyperParams {
    return { foreach: null, differentiable: false };
  }

  protected validate(g: ParamGroup): void {
    check("RMSprop", num(g, "lr") >= 0, "learning rate", g.lr);
    check("RMSprop", num(g, "eps") >= 0, "epsilon value", g.eps as number);
    check("RMSprop", num(g, "momentum") >= 0, "momentum value", g.momentum as number);
    check("RMSprop", num(g, "weightDecay") >= 0, "weight_decay value", g.weightDecay as number);
    check("RMSprop", num(g, "alpha") >= 0, "alpha value", g.alpha as number);
  }

  protected updateGroup(g: ParamGroup): void {
    const lr = num(g, "lr");
    const alpha = num(g, "alpha");
    const eps = num(g, "eps");
    const wd = num(g, "weightDecay");
    const momentum = num(g, "momentum");
    const centered = flag(g, "centered");
    const sign = flag(g, "maximize") ? -1 : 1;
    const f = Math.fround;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (!("step" in state)) {
        state.step = 0;
        state.square_avg = stateLike(p);
        if (momentum > 0) state.momentum_buffer = stateLike(p);
        if (centered) state.grad_avg = stateLike(p);
      }
      if (momentum > 0 && !state.momentum_buffer) state.momentum_buffer = stateLike(p);
      if (centered && !state.grad_avg) state.grad_avg = stateLike(p);
      state.step = (state.step as number) + 1;
      const x = storage(p, "RMSprop.step");
      const grad = this.gradData(p, p.grad);
      const sq = storage(state.square_avg as Tensor);
      const ga = centered ? storage(state.grad_avg as Tensor) : null;
      const buf = momentum > 0 ? storage(state.momentum_buffer as Tensor) : null;
      for (let i = 0; i < x.length; i++) {
        let gi = sign * grad[i]!;
        if (wd !== 0) gi = f(gi + wd * x[i]!);
        sq[i] = f(sq[i]! * alpha) + (1 - alpha) * gi * gi;
        let avg: number;
        if (ga) {
          ga[i] = f(ga[i]! * alpha) + (1 - alpha) * gi;
          avg = f(Math.sqrt(f(sq[i]! - ga[i]! * ga[i]!)));
        } else {
          avg = f(Math.sqrt(sq[i]!));
        }
        avg = f(avg + eps);
        if (buf) {
          buf[i] = f(buf[i]! * momentum) + gi / avg;
          x[i] = x[i]! - lr * buf[i]!;
        } else {
          x[i] = x[i]! - lr * (gi / avg);
        }
      }
    }
  }
}
