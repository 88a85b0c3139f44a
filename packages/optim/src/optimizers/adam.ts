import { Tensor } from "@rnnkit/autograd";
import { NDArray } from "@rnnkit/tensor";
import { adamUpdate } from "./adamUpdate.js";
import { betas, check, flag, num, Optimizer, stateLike, storage, type HyperParams, type ParamGroup, type ParamGroupSpec } from "./optimizer.js";

/** Options of `Adam` and `AdamW`. */
export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

/** Adam and AdamW share everything but where the weight decay goes. */
abstract class AdamBase extends Optimizer {
  protected abstract readonly decoupled: boolean;

  constructor(params: readonly Tensor[] | readonly ParamGroupSpec[], opts: AdamOptions, defaultDecay: number) {
    const defaults: HyperParams = {
      lr: opts.lr ?? 1e-3,
      betas: [...(opts.betas ?? [0.9, 0.999])],
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? defaultDecay,
      amsgrad: opts.amsgrad ?? false,
      maximize: opts.maximize ?? false,
    };
    super(params, defaults);
  }

  protected validate(g: ParamGroup): void {
    const name = this.constructor.name;
    const [b1, b2] = betas(g);
    check(name, num(g, "lr") >= 0, "learning rate", g.lr);
    check(name, num(g, "eps") >= 0, "epsilon value", g.eps as number);
    check(name, b1 >= 0 && b1 < 1, "beta parameter at index 0", b1);
    check(name, b2 >= 0 && b2 < 1, "beta parameter at index 1", b2);
    check(name, num(g, "weightDecay") >= 0, "weight_decay value", g.weightDecay as number);
  }

  protected updateGroup(g: ParamGroup): void {
    const lr = num(g, "lr");
    const [beta1, beta2] = betas(g);
    const eps = num(g, "eps");
    const wd = num(g, "weightDecay");
    const amsgrad = flag(g, "amsgrad");
    const sign = flag(g, "maximize") ? -1 : 1;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (!("step" in state)) {
        state.step = new Tensor(NDArray.scalar(0, "float32"));
        state.exp_avg = stateLike(p);
        state.exp_avg_sq = stateLike(p);
      }
      if (amsgrad && !state.max_exp_avg_sq) state.max_exp_avg_sq = stateLike(p);
      const stepData = storage(state.step as Tensor);
      stepData[0] = stepData[0]! + 1;
      const step = stepData[0]!;
      const x = storage(p, `${this.constructor.name}.step`);
      adamUpdate(
        x,
        this.gradData(p, p.grad),
        storage(state.exp_avg as Tensor),
        storage(state.exp_avg_sq as Tensor),
        amsgrad ? storage(state.max_exp_avg_sq as Tensor) : null,
        {
          beta1, beta2, eps,
          l2: this.decoupled ? 0 : wd,
          decay: this.decoupled ? 1 - lr * wd : 1,
          sign,
          stepSize: lr / (1 - beta1 ** step),
          bc2Sqrt: Math.sqrt(1 - beta2 ** step),
        },
      );
    }
  }
}

/**
 * Adam, torch 1.13's single-tensor rule (t = step): `g = ±∇ + λ·p`;
 * `m = β1·m + (1 - β1)·g`; `v = β2·v + (1 - β2)·g²` (`v̂ = max(v̂, v)` with amsgrad);
 * `p -= lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)`. State: `step`, `exp_avg`, `exp_avg_sq`,
 * `max_exp_avg_sq`.
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3, amsgrad: true });
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  protected override torchFlags(): HyperParams {
    return { foreach: null, capturable: false, differentiable: false, fused: false };
  }
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec[], opts: AdamOptions = {}) {
    super(params, opts, 0);
  }
}

/**
 * AdamW: Adam with decoupled weight decay, `p = p·(1 - lr·λ)` before the Adam update (λ
 * defaults to 0.01); the gradient itself is not decayed.
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.1 });
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  protected override torchFlags(): HyperParams {
    return { foreach: null, capturable: false };
  }
  constructor(params: readonly Tensor[] | readonly ParamGroupSpec[], opts: AdamOptions = {}) {
    super(params, opts, 0.01);
  }
}
