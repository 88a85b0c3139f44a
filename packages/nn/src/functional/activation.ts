import { type Tensor, where } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/** `max(0, x)`. @example relu(tensor([-1, 2])) // [0, 2] */
export function relu(x: Tensor): Tensor {
  return x.relu();
}

/** `min(max(0, x), 6)`. @example relu6(tensor([-1, 7])) // [0, 6] */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6);
}

/** `tanh(x)`. @example tanh(tensor([0])) // [0] */
export function tanh(x: Tensor): Tensor {
  return x.tanh();
}

/** `1 / (1 + e^−x)`. @example sigmoid(tensor([0])) // [0.5] */
export function sigmoid(x: Tensor): Tensor {
  return x.sigmoid();
}

/** `x` where x > 0, else `negativeSlope · x` (default 0.01). @example leakyRelu(x, 0.2) */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return where(x.gt(0), x, x.mul(negativeSlope));
}

/** `x` where x > 0, else `alpha · (e^x − 1)` (default alpha 1). @example elu(x) */
export function elu(x: Tensor, alpha = 1): Tensor {
  // exp of the clamped input: the unused branch must not overflow to inf (its gradient is 0·inf).
  return where(x.gt(0), x, x.clamp(undefined, 0).expm1().mul(alpha));
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** `scale · elu(x, alpha)` with torch's fixed alpha ≈ 1.6733 and scale ≈ 1.0507. @example selu(x) */
export function selu(x: Tensor): Tensor {
  return elu(x, SELU_ALPHA).mul(SELU_SCALE);
}

/** `max(0, x) + min(0, alpha · (e^(x/alpha) − 1))` (default alpha 1). @example celu(x, 2) */
export function celu(x: Tensor, alpha = 1): Tensor {
  if (alpha === 0) throw new Error("celu: alpha must not be 0");
  return where(x.gt(0), x, x.clamp(undefined, 0).div(alpha).expm1().mul(alpha));
}

/** How `gelu` evaluates the Gaussian CDF: exactly (erf) or with torch's tanh formula. */
export type GeluApproximate = "none" | "tanh";

/**
 * `x · Φ(x)`; with `approximate: "tanh"`, `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
 * @example gelu(x); gelu(x, { approximate: "tanh" })
 */
export function gelu(x: Tensor, opts: { approximate?: GeluApproximate } = {}): Tensor {
  const approximate = opts.approximate ?? "none";
  if (approximate === "tanh") {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  if (approximate !== "none") throw new Error(`gelu: approximate must be "none" or "tanh", got ${String(approximate)}`);
  return x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1));
}

/** `x · sigmoid(x)` (swish). @example silu(x) */
export function silu(x: Tensor): Tensor {
  return x.mul(x.sigmoid());
}

/** `x · tanh(softplus(x))`. @example mish(x) */
export function mish(x: Tensor): Tensor {
  return x.mul(softplus(x).tanh());
}

/**
 * `log(1 + e^(beta·x)) / beta`, and `x` itself where `beta·x > threshold` (defaults 1 and 20).
 * @example softplus(x, { beta: 2, threshold: 10 })
 */
export function softplus(x: Tensor, opts: { beta?: number; threshold?: number } = {}): Tensor {
  const beta = opts.beta ?? 1;
  const threshold = opts.threshold ?? 20;
  const bx = x.mul(beta);
  // The smooth branch sees the input clamped at the threshold so it stays finite where unused.
  const smooth = bx.clamp(undefined, threshold).exp().log1p().div(beta);
  return where(bx.gt(threshold), x, smooth);
}

/** `x / (1 + |x|)`. @example softsign(x) */
export function softsign(x: Tensor): Tensor {
  return x.div(x.abs().add(1));
}

/** `clamp(x, minVal, maxVal)` (defaults −1 and 1); gradient zero outside the open interval. @example hardtanh(x, -2, 2) */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  if (!(minVal <= maxVal)) throw new Error(`hardtanh: minVal (${minVal}) must be less than or equal to maxVal (${maxVal})`);
  const inside = x.gt(minVal).mul(x.lt(maxVal));
  return where(inside, x, x.detach().clamp(minVal, maxVal));
}

/** `clamp(x / 6 + 1/2, 0, 1)`. @example hardsigmoid(x) */
export function hardsigmoid(x: Tensor): Tensor {
  const inside = x.gt(-3).mul(x.lt(3));
  return where(inside, x.div(6).add(0.5), x.detach().div(6).add(0.5).clamp(0, 1));
}

/** `x · hardsigmoid(x)`. @example hardswish(x) */
export function hardswish(x: Tensor): Tensor {
  const inside = x.ge(-3).mul(x.le(3));
  return where(inside, x.mul(x.add(3)).div(6), where(x.gt(3), x, x.detach().mul(0)));
}

/** `log(sigmoid(x)) = min(x, 0) − log(1 + e^−|x|)`, stable for large |x|. @example logsigmoid(x) */
export function logsigmoid(x: Tensor): Tensor {
  return x.minimum(0).sub(x.abs().neg().exp().log1p());
}

/** `x − tanh(x)`. @example tanhshrink(x) */
export function tanhshrink(x: Tensor): Tensor {
  return x.sub(x.tanh());
}

/** `x − λ` above λ, `x + λ` below −λ, else 0 (default λ 0.5). @example softshrink(x, 0.5) */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  if (!(lambd >= 0)) throw new Error(`softshrink: lambda must be greater or equal to 0, but found to be ${lambd}`);
  return where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), x.mul(0)));
}

/** `x` where |x| > λ, else 0 (default λ 0.5). @example hardshrink(x) */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  return where(x.abs().gt(lambd), x, x.mul(0));
}

/** `x` where x > threshold, else `value`. @example threshold(x, 0.1, 0) */
export function threshold(x: Tensor, thresholdValue: number, value: number): Tensor {
  return where(x.gt(thresholdValue), x, value);
}

function checkDim(x: Tensor, dim: number, op: string): void {
  const n = Math.max(x.ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new Error(`${op}: dim ${dim} is out of range for a tensor of shape ${fmt(x.shape)}`);
  }
}

/** `e^(x_i) / Σ_j e^(x_j)` along `dim`. @example softmax(logits, -1) */
export function softmax(x: Tensor, dim: number): Tensor {
  checkDim(x, dim, "softmax");
  return x.softmax(dim);
}

/** `x_i − log Σ_j e^(x_j)` along `dim`. @example logSoftmax(logits, 1) */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  checkDim(x, dim, "logSoftmax");
  return x.logSoftmax(dim);
}

/** `softmax(−x, dim)`. @example softmin(x, 0) */
export function softmin(x: Tensor, dim: number): Tensor {
  checkDim(x, dim, "softmin");
  return x.neg().softmax(dim);
}
