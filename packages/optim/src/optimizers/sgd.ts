import type { Tensor } from "@rnnkit/autograd";
import { check, flag, num, Optimizer, stateLike, storage, type HyperParams, type ParamGroup, type ParamGroupSpec } from "./optimizer.js";

/** Options of `SGD` (torch's defaults; `lr` is required here or in every param group). */
export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

/**
 * Stochastic gradient descent with momentum, torch 1.13's single-tensor rule:
 * `g = ±∇ + λ·p`; `b = g` (first step) else `b = μ·b + (1 - τ)·g`;
 * `g = nesterov ? g + μ·b : b`; `p -= lr·g`. State: `momentum_buffer` (null without momentum).
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer {
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec[], opts: SGDOptions = {}) {
    super(params, {
      lr: opts.lr ?? null,
      momentum: opts.momentum ?? 0,
      dampening: opts.dampening ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      nesterov: opts.nesterov ?? false,
      maximize: opts.maximize ?? false,
    });
  }

  protected override torchFlags(): HyperParams {
    return { foreach: null, differentiable: false };
  }

  protected validate(g: ParamGroup): void {
    check("SGD", num(g, "lr") >= 0, "learning rate", g.lr);
    check("SGD", num(g, "momentum") >= 0, "momentum value", g.momentum as number);
    check("SGD", num(g, "weightDecay") >= 0, "weight_decay value", g.weightDecay as number);
    if (flag(g, "nesterov") && (num(g, "momentum") <= 0 || num(g, "dampening") !== 0)) {
      throw new Error("SGD: Nesterov momentum requires a momentum and zero dampening");
    }
  }

  protected updateGroup(g: ParamGroup): void {
    const lr = num(g, "lr");
    const momentum = num(g, "momentum");
    const dampening = num(g, "dampening");
    const wd = num(g, "weightDecay");
    const nesterov = flag(g, "nesterov");
    const sign = flag(g, "maximize") ? -1 : 1;
    const f = Math.fround;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      const x = storage(p, "SGD.step");
      const grad = this.gradData(p, p.grad);
      let bufT = (state.momentum_buffer as Tensor | null | undefined) ?? null;
      const fresh = momentum !== 0 && bufT === null;
      if (momentum === 0) bufT = null;
      else if (fresh) bufT = stateLike(p);
      state.momentum_buffer = bufT;
      const buf = bufT ? storage(bufT) : null;
      if (buf === null && wd === 0) {
        plainStep(x, grad, lr, sign);
        continue;
      }
      for (let i = 0; i < x.length; i++) {
        let d = sign * grad[i]!;
        if (wd !== 0) d = f(d + wd * x[i]!);
        if (buf) {
          buf[i] = fresh ? d : f(buf[i]! * momentum) + (1 - dampening) * d;
          d = nesterov ? f(d + momentum * buf[i]!) : buf[i]!;
        }
        x[i] = x[i]! - lr * d;
      }
    }
  }
}

/** `p ← p − lr · (±g)`, the rule without momentum or weight decay, as one tight pass. */
function plainStep(x: Float32Array, grad: ArrayLike<number>, lr: number, sign: number): void {
  for (let i = 0; i < x.length; i++) x[i] = x[i]! - lr * (sign * grad[i]!);
}
