import { type Tensor, where } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/** `max(0, x)`. @example relu(tensor([-1, 2])) // [0, 2] */
export function relu(x: Tensor): Tensor {
  return x.relu();
}

/** `min(max(0, x), 6)`. @example relu6(tensor([-1, 7])) // [0, 6] */
export function relu6(x: Tensor): Tensor {
  return x.relu6();
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
export function leakyRelu(x: Tensor, negativeSlope?: number | { negativeSlope?: number }): Tensor {
  return x.leakyRelu(negativeSlope);
}

/** `x` where x > 0, else `alpha · (e^x − 1)` (default alpha 1). @example elu(x) */
export function elu(x: Tensor, alpha?: number | { alpha?: number }): Tensor {
  return x.elu(alpha);
}

/** `scale · elu(x, alpha)` with torch's fixed alpha ≈ 1.6733 and scale ≈ 1.0507. @example selu(x) */
export function selu(x: Tensor): Tensor {
  return x.selu();
}

/** `max(0, x) + min(0, alpha · (e^(x/alpha) − 1))` (default alpha 1). @example celu(x, 2) */
export function celu(x: Tensor, alphaOrOpts: number | { alpha?: number } = 1): Tensor {
  const alpha = typeof alphaOrOpts === "number" ? alphaOrOpts : alphaOrOpts.alpha ?? 1;
  if (alpha === 0) throw new Error("celu: alpha must not be 0");
  return where(x.gt(0), x, x.clamp(undefined, 0).div(alpha).expm1().mul(alpha));
}

/** How `gelu` evaluates the Gaussian CDF: exactly (erf) or with torch's tanh formula. */
export type GeluApproximate = "none" | "tanh";

/**
 * `x · Φ(x)`; with `approximate: "tanh"`, `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
 * @example gelu(x); gelu(x, { approximate: "tanh" }); gelu(x, "tanh")
 */
export function gelu(x: Tensor, opts: GeluApproximate | { approximate?: GeluApproximate } = {}): Tensor {
  const approximate = (typeof opts === "string" ? opts : opts.approximate) ?? "none";
  if (approximate !== "none" && approximate !== "tanh") throw new Error(`gelu: approximate must be "none" or "tanh", got ${String(approximate)}`);
  return x.gelu(approximate);
}

/** `x · sigmoid(x)` (swish). @example silu(x) */
export function silu(x: Tensor): Tensor {
  return x.silu();
}

/** `x · tanh(softplus(x))`. @example mish(x) */
export function mish(x: Tensor): Tensor {
  return x.mish();
}

/**
 * `log(1 + e^(beta·x)) / beta`, and `x` itself where `beta·x > threshold` (defaults 1 and 20).
 * @example softplus(x, { beta: 2, threshold: 10 }); softplus(x, 2, 10)
 */
export function softplus(x: Tensor, beta?: number | { beta?: number; threshold?: number }, threshold?: number): Tensor {
  const o = typeof beta === "object" ? beta : { beta, threshold };
  return x.softplus(o.beta ?? 1, o.threshold ?? 20);
}

/** `x / (1 + |x|)`. @example softsign(x) */
export function softsign(x: Tensor): Tensor {
  return x.softsign();
}

/** `clamp(x, minVal, maxVal)` (defaults −1 and 1); gradient zero outside the open interval. @example hardtanh(x, -2, 2) */
export function hardtanh(x: Tensor, minOrOpts: number | { minVal?: number; maxVal?: number } = -1, max?: number): Tensor {
  const o = typeof minOrOpts === "object" ? minOrOpts : { minVal: minOrOpts, maxVal: max };
  const [minVal, maxVal] = [o.minVal ?? -1, o.maxVal ?? 1];
  if (!(minVal <= maxVal)) throw new Error(`hardtanh: minVal (${minVal}) must be less than or equal to maxVal (${maxVal})`);
  return x.hardtanh(minVal, maxVal);
}

/** `clamp(x / 6 + 1/2, 0, 1)`. @example hardsigmoid(x) */
export function hardsigmoid(x: Tensor): Tensor {
  return x.hardsigmoid();
}

/** `x · hardsigmoid(x)`. @example hardswish(x) */
export function hardswish(x: Tensor): Tensor {
  return x.hardswish();
}

/** `log(sigmoid(x)) = min(x, 0) − log(1 + e^−|x|)`, stable for large |x|. @example logsigmoid(x) */
export function logsigmoid(x: Tensor): Tensor {
  return x.logSigmoid();
}

/** `x − tanh(x)`. @example tanhshrink(x) */
export function tanhshrink(x: Tensor): Tensor {
  return x.tanhshrink();
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

/** The dim of softmax-like functions: a number, or `{ dim }` as the modules take it (torch's `dim=` keyword). */
export type DimArg = number | { dim: number };

function checkDim(x: Tensor, arg: DimArg, op: string): number {
  const dim = typeof arg === "object" && arg !== null ? arg.dim : arg;
  if (typeof dim !== "number") {
    throw new Error(`${op}: dim is required, as a number or { dim }, got ${arg === null ? "null" : typeof arg === "object" ? "an object without dim" : typeof arg}; e.g. ${op}(x, 1) or ${op}(x, { dim: -1 })`);
  }
  const n = Math.max(x.ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new Error(`${op}: dim ${dim} is out of range for a tensor of shape ${fmt(x.shape)}`);
  }
  return dim;
}

/** `e^(x_i) / Σ_j e^(x_j)` along `dim`. @example softmax(logits, -1) */
export function softmax(x: Tensor, dim: DimArg): Tensor {
  const d = checkDim(x, dim, "softmax");
  return x.softmax(d);
}

/** `x_i − log Σ_j e^(x_j)` along `dim`. @example logSoftmax(logits, 1) */
export function logSoftmax(x: Tensor, dim: DimArg): Tensor {
  const d = checkDim(x, dim, "logSoftmax");
  return x.logSoftmax(d);
}

/** `softmax(−x, dim)`. @example softmin(x, 0) */
export function softmin(x: Tensor, dim: DimArg): Tensor {
  const d = checkDim(x, dim, "softmin");
  return x.neg().softmax(d);
}
