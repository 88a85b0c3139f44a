import { backend, broadcastShapes, fmt, NDArray, promoteWithScalar, type DType, type UnaryOp } from "@rnnkit/tensor";
import { defineOp } from "../defineOp.js";
import { sumToShape } from "../gradUtil.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { requireTensor } from "./checks.js";

/** A number becomes a 0-d tensor of the dtype it would take next to `like` (torch scalar rules). */
export function asTensor(x: TensorLike, like: Tensor, op = "binary op"): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== "number") {
    const got = x === null ? "null" : Array.isArray(x) ? "an array (wrap it with tensor(...))" : typeof x;
    throw new Error(`${op}: expected a Tensor or a number as operand, got ${got}`);
  }
  return new Tensor(NDArray.scalar(x, promoteWithScalar(like.dtype, x)));
}

/** `src` (tensor or number) broadcast to `shape` and cast to `dtype`, as a fresh contiguous array. */
export function broadcastValue(src: TensorLike, shape: readonly number[], dtype: DType, op: string): NDArray {
  if (typeof src !== "number" && !(src instanceof Tensor)) {
    throw new Error(`${op}: expected a Tensor or a number as the source, got ${src === null ? "null" : Array.isArray(src) ? "an array (wrap it with tensor(...))" : typeof src}`);
  }
  const v = typeof src === "number" ? NDArray.scalar(src, dtype) : src.value;
  try {
    return v.expand(shape).copy(dtype);
  } catch {
    throw new Error(`${op}: source of shape ${fmt(v.shape)} cannot be broadcast to ${fmt(shape)}`);
  }
}

const addOp = defineOp<number>({
  name: "add",
  saves: () => [],
  forward: ([a, b], alpha) => backend().axpy(a!, b!, alpha),
  backward: ({ inputs: [a, b], args: alpha }, g) => [sumToShape(g, a!.shape), sumToShape(alpha === 1 ? g : g.mul(alpha), b!.shape)],
});
/** `a + alpha * b`, broadcast. */
export function add(a: TensorLike, b: TensorLike, alpha = 1): Tensor {
  const [x, y] = pair(a, b, "add");
  checkAlpha("add", x, y, alpha);
  return addOp([x, y], alpha);
}
/** `a - alpha * b`, broadcast. */
export function sub(a: TensorLike, b: TensorLike, alpha = 1): Tensor {
  const [x, y] = pair(a, b, "sub");
  checkAlpha("sub", x, y, alpha);
  return addOp([x, y], -alpha);
}

function checkAlpha(op: string, x: Tensor, y: Tensor, alpha: number): void {
  if (x.dtype === "int32" && y.dtype === "int32" && !Number.isInteger(alpha)) {
    throw new Error(`${op}: for int32 operands alpha must be an integer, got ${alpha}`);
  }
}

function pair(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, asTensor(b, a, op)];
  if (b instanceof Tensor) return [asTensor(a, b, op), b];
  throw new Error(`${op}: at least one operand must be a Tensor`);
}

const mulOp = defineOp({
  name: "mul",
  saves: (r) => [...(r[1] ? [0] : []), ...(r[0] ? [1] : [])],
  forward: ([a, b]) => backend().binary("mul", a!, b!),
  backward: ({ inputs: [a, b] }, g) => [
    a!.requiresGrad ? sumToShape(g.mul(b!), a!.shape) : null,
    b!.requiresGrad ? sumToShape(g.mul(a!), b!.shape) : null,
  ],
});
/** Elementwise `a · b`, broadcast as in torch. @example mul(x, 2) */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return mulOp(pair(a, b, "mul"));
}

const divOp = defineOp({
  name: "div",
  saves: (r) => [1, ...(r[1] ? ["output" as const] : [])],
  forward: ([a, b]) => backend().binary("div", a!, b!),
  backward: ({ inputs: [a, b], output }, g) => [
    a!.requiresGrad ? sumToShape(g.div(b!), a!.shape) : null,
    b!.requiresGrad ? sumToShape(g.mul(output).div(b!).neg(), b!.shape) : null,
  ],
});
/** Elementwise true division `a / b` (float result, also for int32 inputs), broadcast. @example div(x, y) */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return divOp(pair(a, b, "div"));
}

const powScalarOp = defineOp<number>({
  name: "pow",
  forward: ([x], p) => backend().powScalar(x!, p),
  backward: ({ inputs: [x], args: p }, g) => [p === 0 ? g.mul(0) : g.mul(x!.pow(p - 1).mul(p))],
});
const powOp = defineOp({
  name: "pow",
  forward: ([a, b]) => backend().binary("pow", a!, b!),
  backward: ({ inputs: [a, b], output }, g) => [
    a!.requiresGrad ? sumToShape(g.mul(b!).mul(a!.pow(b!.sub(1))), a!.shape) : null,
    // d/db a^b = a^b ln a; torch defines it as 0 where a == 0 and b >= 0.
    b!.requiresGrad
      ? sumToShape(g.mul(output).mul(where(a!.eq(0).mul(b!.ge(0)), 0, a!.log())), b!.shape)
      : null,
  ],
});
/** `a ** b` elementwise (scalar or tensor exponent). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(a, b, "pow");
  if (x.dtype === "int32" && y.dtype === "int32" && y.value.flat().some((v) => v < 0)) {
    throw new Error(`pow: integers to negative integer powers are not allowed (int32 base of shape ${fmt(x.shape)}, exponent of shape ${fmt(y.shape)})`);
  }
  if (a instanceof Tensor && typeof b === "number") return powScalarOp([a], b);
  return powOp([x, y]);
}

const maxMinOp = (op: "maximum" | "minimum") =>
  defineOp({
    name: op,
    forward: ([a, b]) => backend().binary(op, a!, b!),
    backward: ({ inputs: [a, b] }, g) => {
      // Ties split the gradient evenly, as torch does.
      const av = a!.detach();
      const bv = b!.detach();
      const win = op === "maximum" ? av.gt(bv) : av.lt(bv);
      const tie = av.eq(bv);
      const wa = win.float().add(tie.float().mul(0.5));
      const wb = wa.rsub(1);
      return [sumToShape(g.mul(wa), a!.shape), sumToShape(g.mul(wb), b!.shape)];
    },
  });
const maximumOp = maxMinOp("maximum");
const minimumOp = maxMinOp("minimum");
/** Elementwise larger of `a` and `b`, broadcast. @example maximum(x, 0) */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return maximumOp(pair(a, b, "maximum"));
}
/** Elementwise smaller of `a` and `b`, broadcast. @example minimum(x, 1) */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return minimumOp(pair(a, b, "minimum"));
}

/** d op(x) / dx in terms of the input x and the output y. */
const UNARY_GRAD: Partial<Record<UnaryOp, (x: Tensor, y: Tensor, g: Tensor) => Tensor>> = {
  neg: (_x, _y, g) => g.neg(),
  abs: (x, _y, g) => g.mul(x.sign()),
  exp: (_x, y, g) => g.mul(y),
  expm1: (_x, y, g) => g.mul(y.add(1)),
  log: (x, _y, g) => g.div(x),
  log1p: (x, _y, g) => g.div(x.add(1)),
  sqrt: (_x, y, g) => g.div(y.mul(2)),
  rsqrt: (_x, y, g) => g.mul(y.pow(3)).mul(-0.5),
  reciprocal: (_x, y, g) => g.mul(y.square()).neg(),
  square: (x, _y, g) => g.mul(x.mul(2)),
  tanh: (_x, y, g) => g.mul(y.square().rsub(1)),
  sigmoid: (_x, y, g) => g.mul(y.mul(y.rsub(1))),
  relu: (_x, y, g) => g.mul(y.gt(0)),
  sin: (x, _y, g) => g.mul(x.cos()),
  cos: (x, _y, g) => g.mul(x.sin()).neg(),
  erf: (x, _y, g) => g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI))),
  softplus: (x, _y, g) => g.mul(x.sigmoid()),
  logSigmoid: (x, _y, g) => g.mul(x.neg().sigmoid()),
  // Piecewise-constant ops have zero gradient almost everywhere.
  sign: (_x, _y, g) => g.mul(0),
  floor: (_x, _y, g) => g.mul(0),
  ceil: (_x, _y, g) => g.mul(0),
  round: (_x, _y, g) => g.mul(0),
};

/** What each unary backward above reads: its input, its output, or nothing. */
const UNARY_READS: Partial<Record<UnaryOp, "input" | "output">> = {
  abs: "input", log: "input", log1p: "input", square: "input", sin: "input", cos: "input", erf: "input", softplus: "input", logSigmoid: "input",
  exp: "output", expm1: "output", sqrt: "output", rsqrt: "output", reciprocal: "output", tanh: "output", sigmoid: "output", relu: "output",
};

const unaryOps = new Map<UnaryOp, (inputs: readonly Tensor[], args: void) => Tensor>();
/** Applies an elementwise function of one argument (see `UnaryOp`). */
export function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  let fn = unaryOps.get(op);
  if (!fn) {
    const grad = UNARY_GRAD[op];
    fn = defineOp<void>({
      name: op,
      saves: () => (UNARY_READS[op] === "input" ? [0] : UNARY_READS[op] === "output" ? ["output"] : []),
      forward: ([a]) => backend().unary(op, a!),
      backward: ({ inputs: [a], output }, g) => {
        if (!grad) throw new Error(`${op}: backward is not defined`);
        return [grad(a!, output, g)];
      },
    });
    unaryOps.set(op, fn);
  }
  return fn([x]);
}

const clampOp = defineOp<{ min: number | undefined; max: number | undefined }>({
  name: "clamp",
  saves: () => [0],
  forward: ([x], { min, max }) => backend().clamp(x!, min, max),
  backward: ({ inputs: [x], args: { min, max } }, g) => {
    // Gradient passes where min <= x <= max (torch includes the bounds).
    let keep = x!.detach().eq(x!.detach());
    if (min !== undefined) keep = keep.mul(x!.detach().ge(min));
    if (max !== undefined) keep = keep.mul(x!.detach().le(max));
    return [g.mul(keep)];
  },
});
/** Clamps into `[min, max]`. */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  if (min === undefined && max === undefined) throw new Error("clamp: at least one of min and max must be given");
  return clampOp([x], { min, max });
}

/** Elementwise comparison → int32 0/1 mask (not differentiable). */
export function compare(op: "eq" | "ne" | "lt" | "le" | "gt" | "ge", a: Tensor, b: TensorLike): Tensor {
  return new Tensor(backend().binary(op, a.value, asTensor(b, a, op).value, op));
}

const whereOp = defineOp<void>({
  name: "where",
  saves: () => [0],
  forward: ([c, a, b]) => backend().where(c!, a!, b!),
  backward: ({ inputs: [c, a, b] }, g) => {
    const zero = new Tensor(NDArray.scalar(0, g.dtype));
    return [null, sumToShape(where(c!, g, zero), a!.shape), sumToShape(where(c!, zero, g), b!.shape)];
  },
});
/** `cond ? a : b` elementwise with broadcasting; `cond` non-zero means true. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  requireTensor(cond, "where", "condition");
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : cond.to("float32");
  return whereOp([cond, asTensor(a, like, "where"), asTensor(b, like, "where")]);
}

/** Fills entries where `mask` is non-zero with `value`; x and mask broadcast together, as torch's out-of-place masked_fill. */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  if (mask.dtype !== "int32") throw new Error(`maskedFill: mask must be an int32 (0/1) tensor, got ${mask.dtype}`);
  broadcastShapes(x.shape, mask.shape, "maskedFill");
  // The result keeps x's dtype, as torch's: a float value fills an int32 tensor truncated.
  return where(mask, new Tensor(NDArray.scalar(value, x.dtype)), x);
}

const castOp = defineOp<DType>({
  name: "to",
  saves: () => [],
  forward: ([x], dtype) => backend().cast(x!, dtype),
  backward: ({ inputs: [x] }, g) => [x!.dtype === "int32" ? null : g.to(x!.dtype)],
});
/** Converts to `dtype`; returns `x` itself when it already has it. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  if (dtype === "int32") return new Tensor(backend().cast(x.value, dtype));
  return castOp([x], dtype);
}

const cloneOp = defineOp<void>({
  name: "clone",
  saves: () => [],
  forward: ([x]) => x!.copy(),
  backward: (_ctx, g) => [g],
});
/** A copy that stays in the graph (gradient passes straight through). @example clone(x) */
export function clone(x: Tensor): Tensor {
  return cloneOp([x]);
}
