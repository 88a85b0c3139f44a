import { fmt, type NDArray } from "@rnnkit/tensor";
import { defineOp } from "../defineOp.js";
import { Tensor } from "../tensor.js";
import { unaryOp, where } from "./elementwise.js";
import { requireTensor } from "./checks.js";

/**
 * An elementwise activation defined once with torch's backward formula. Piecewise activations
 * are primitives (not composites) so the gradient at the kinks is exactly torch's.
 */
function activation<A>(
  name: string,
  f: (x: Tensor, args: A) => Tensor,
  df: (x: Tensor, g: Tensor, args: A) => Tensor,
): (x: Tensor, args: A) => Tensor {
  const op = defineOp<A>({
    name,
    forward: ([x], args) => f(new Tensor(x as NDArray), args).value,
    backward: ({ inputs: [x], args }, g) => [df(x!, g, args)],
  });
  return (x, args) => {
    if (!(x instanceof Tensor)) throw new Error(`${name}: input must be a Tensor`);
    if (x.dtype === "int32") throw new Error(`${name}: input must be a floating point tensor, got int32 (shape ${fmt(x.shape)})`);
    return op([x], args);
  };
}

function num(op: string, arg: string, v: unknown): number {
  if (typeof v !== "number" || Number.isNaN(v)) throw new Error(`${op}: ${arg} must be a number, got ${String(v)}`);
  return v;
}

const leakyReluOp = activation<number>(
  "leakyRelu",
  (x, s) => where(x.gt(0), x, x.mul(s)),
  (x, g, s) => where(x.gt(0), g, g.mul(s)),
);
/**
 * `x > 0 ? x : negativeSlope · x` (torch.nn.functional.leaky_relu), any shape.
 * @example leakyRelu(tensor([-2, 3]), 0.1) // [-0.2, 3]
 */
export function leakyRelu(x: Tensor, negativeSlope: number | { negativeSlope?: number } = 0.01): Tensor {
  const s = typeof negativeSlope === "number" || negativeSlope === null ? negativeSlope : negativeSlope.negativeSlope ?? 0.01;
  return leakyReluOp(x, num("leakyRelu", "negativeSlope", s));
}

/** torch's elu kernel: `x > 0 ? scale·x : scale·alpha·(exp(x) − 1)`. */
const eluOp = activation<{ alpha: number; scale: number }>(
  "elu",
  (x, { alpha, scale }) => where(x.gt(0), x.mul(scale), x.clamp(undefined, 0).expm1().mul(alpha * scale)),
  (x, g, { alpha, scale }) => where(x.gt(0), g.mul(scale), g.mul(x.clamp(undefined, 0).exp().mul(alpha * scale))),
);
/**
 * `x > 0 ? x : alpha · (exp(x) − 1)` (torch.nn.functional.elu), any shape.
 * @example elu(tensor([-1, 2])) // [-0.632, 2]
 */
export function elu(x: Tensor, alpha: number | { alpha?: number } = 1): Tensor {
  const a = typeof alpha === "number" || alpha === null ? alpha : alpha.alpha ?? 1;
  return eluOp(x, { alpha: num("elu", "alpha", a), scale: 1 });
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
/**
 * `scale · elu(x, alpha)` with torch's constants alpha ≈ 1.6733, scale ≈ 1.0507 (self-normalizing).
 * @example selu(tensor([1])) // [1.0507]
 */
export function selu(x: Tensor): Tensor {
  return eluOp(x, { alpha: SELU_ALPHA, scale: SELU_SCALE });
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_K = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;
const geluOp = activation<"none" | "tanh">(
  "gelu",
  (x, approximate) => {
    if (approximate === "tanh") {
      const inner = x.add(x.pow(3).mul(GELU_C)).mul(GELU_K);
      return x.mul(0.5).mul(inner.tanh().add(1));
    }
    return x.mul(0.5).mul(unaryOp("erf", x.mul(SQRT1_2)).add(1));
  },
  (x, g, approximate) => {
    if (approximate === "tanh") {
      const t = x.add(x.pow(3).mul(GELU_C)).mul(GELU_K).tanh();
      const left = t.add(1).mul(0.5);
      const right = x.mul(0.5).mul(t.square().rsub(1)).mul(x.square().mul(3 * GELU_C).add(1).mul(GELU_K));
      return g.mul(left.add(right));
    }
    const cdf = unaryOp("erf", x.mul(SQRT1_2)).add(1).mul(0.5);
    const pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
    return g.mul(cdf.add(x.mul(pdf)));
  },
);
/**
 * GELU: `x · Φ(x) = 0.5 x (1 + erf(x/√2))`, or with `approximate: "tanh"`
 * `0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³)))` (torch.nn.functional.gelu).
 * @example gelu(tensor([1])) // [0.8413]; gelu(x, "tanh") or gelu(x, { approximate: "tanh" })
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" | { approximate?: "none" | "tanh" } = "none"): Tensor {
  const a = typeof approximate === "string" || approximate === null ? approximate : approximate.approximate ?? "none";
  if (a !== "none" && a !== "tanh") throw new Error(`gelu: approximate must be "none" or "tanh", got ${JSON.stringify(a)}`);
  return geluOp(x, a);
}

const siluOp = activation<void>(
  "silu",
  (x) => x.mul(x.sigmoid()),
  (x, g) => {
    const s = x.sigmoid();
    return g.mul(s.mul(x.mul(s.rsub(1)).add(1)));
  },
);
/**
 * SiLU / swish: `x · sigmoid(x)`.
 * @example silu(tensor([1])) // [0.7311]
 */
export function silu(x: Tensor): Tensor {
  return siluOp(x, undefined);
}

const mishOp = activation<void>(
  "mish",
  (x) => x.mul(unaryOp("softplus", x).tanh()),
  (x, g) => {
    const t = unaryOp("softplus", x).tanh();
    return g.mul(t.add(x.mul(x.sigmoid()).mul(t.square().rsub(1))));
  },
);
/**
 * Mish: `x · tanh(softplus(x))`.
 * @example mish(tensor([1])) // [0.8651]
 */
export function mish(x: Tensor): Tensor {
  return mishOp(x, undefined);
}

const softplusOp = activation<{ beta: number; threshold: number }>(
  "softplus",
  (x, { beta, threshold }) => {
    const bx = x.mul(beta);
    return where(bx.gt(threshold), x, unaryOp("softplus", bx).div(beta));
  },
  (x, g, { beta, threshold }) => {
    const bx = x.mul(beta);
    return where(bx.gt(threshold), g, g.mul(bx.sigmoid()));
  },
);
/**
 * `log(1 + exp(β x)) / β`, and `x` itself where `β x > threshold` (torch.nn.functional.softplus).
 * @example softplus(tensor([0])) // [0.6931]; softplus(x, { beta: 2, threshold: 20 })
 */
export function softplus(x: Tensor, beta: number | { beta?: number; threshold?: number } = 1, threshold = 20): Tensor {
  const b = typeof beta === "number" || beta === null ? beta : beta.beta ?? 1;
  const t = typeof beta === "number" || beta === null ? threshold : beta.threshold ?? 20;
  return softplusOp(x, { beta: num("softplus", "beta", b), threshold: num("softplus", "threshold", t) });
}

/**
 * `x / (1 + |x|)` (a composite, as torch's).
 * @example softsign(tensor([1, -3])) // [0.5, -0.75]
 */
export function softsign(x: Tensor): Tensor {
  requireTensor(x, "softsign", "input");
  if (x.dtype === "int32") throw new Error(`softsign: input must be a floating point tensor, got int32 (shape ${fmt(x.shape)})`);
  return x.div(x.abs().add(1));
}

const hardtanhOp = activation<{ min: number; max: number }>(
  "hardtanh",
  (x, { min, max }) => x.clamp(min, max),
  // torch passes no gradient at the bounds themselves.
  (x, g, { min, max }) => g.mul(x.gt(min).mul(x.lt(max))),
);
/**
 * `clamp(x, minVal, maxVal)`, gradient 1 strictly inside the bounds (torch.nn.functional.hardtanh).
 * @example hardtanh(tensor([-2, 0.5, 3])) // [-1, 0.5, 1]
 */
export function hardtanh(x: Tensor, minVal: number | { minVal?: number; maxVal?: number } = -1, maxVal = 1): Tensor {
  const lo = typeof minVal === "number" || minVal === null ? minVal : minVal.minVal ?? -1;
  const hi = typeof minVal === "number" || minVal === null ? maxVal : minVal.maxVal ?? 1;
  num("hardtanh", "minVal", lo);
  num("hardtanh", "maxVal", hi);
  if (lo > hi) throw new Error(`hardtanh: minVal (${lo}) cannot be greater than maxVal (${hi})`);
  return hardtanhOp(x, { min: lo, max: hi });
}

/**
 * `min(max(x, 0), 6)` (torch's relu6 = hardtanh(x, 0, 6)).
 * @example relu6(tensor([-1, 3, 8])) // [0, 3, 6]
 */
export function relu6(x: Tensor): Tensor {
  return hardtanhOp(x, { min: 0, max: 6 });
}

const hardsigmoidOp = activation<void>(
  "hardsigmoid",
  (x) => x.div(6).add(0.5).clamp(0, 1),
  // torch multiplies by the float32 constant 1/6 in every dtype.
  (x, g) => g.mul(x.gt(-3).mul(x.lt(3))).mul(Math.fround(1 / 6)),
);
/**
 * `relu6(x + 3) / 6`: 0 below −3, 1 above 3, linear between.
 * @example hardsigmoid(tensor([0])) // [0.5]
 */
export function hardsigmoid(x: Tensor): Tensor {
  return hardsigmoidOp(x, undefined);
}

const hardswishOp = activation<void>(
  "hardswish",
  (x) => x.mul(x.add(3).clamp(0, 6)).div(6),
  // torch's vectorized kernel (every tensor of 8+ elements): slope 1 at x = 3, −0.5 at x = −3.
  (x, g) => where(x.lt(-3), g.mul(0), where(x.lt(3), g.mul(x.div(3).add(0.5)), g)),
);
/**
 * `x · relu6(x + 3) / 6`.
 * @example hardswish(tensor([1])) // [0.6667]
 */
export function hardswish(x: Tensor): Tensor {
  return hardswishOp(x, undefined);
}

/**
 * `log(sigmoid(x)) = −softplus(−x)`, computed stably.
 * @example logSigmoid(tensor([0])) // [-0.6931]
 */
export function logSigmoid(x: Tensor): Tensor {
  requireTensor(x, "logSigmoid", "input");
  if (x.dtype === "int32") throw new Error(`logSigmoid: input must be a floating point tensor, got int32 (shape ${fmt(x.shape)})`);
  return unaryOp("logSigmoid", x);
}

/**
 * `x − tanh(x)` (a composite).
 * @example tanhshrink(tensor([1])) // [0.2384]
 */
export function tanhshrink(x: Tensor): Tensor {
  requireTensor(x, "tanhshrink", "input");
  if (x.dtype === "int32") throw new Error(`tanhshrink: input must be a floating point tensor, got int32 (shape ${fmt(x.shape)})`);
  return x.sub(x.tanh());
}
