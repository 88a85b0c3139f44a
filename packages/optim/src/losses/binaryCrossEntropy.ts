import { defineOp, Tensor } from "@rnnkit/autograd";
import { backend, fmt, NDArray } from "@rnnkit/tensor";
import { checkFloat, checkReduction, checkSameShape, reduce, type ReductionOptions, checkTensorArgs } from "./reduction.js";

/** Options of `binaryCrossEntropy`. */
export interface BCEOptions extends ReductionOptions {
  /** Rescaling weight, broadcast against the per-element loss. */
  weight?: Tensor | null;
}

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of positive examples, broadcast along the last (class) dim. */
  posWeight?: Tensor | null;
}

/**
 * BCE on logits: `ℓ = w·[(1 - y)·x + (1 + (p - 1)·y)·log(1 + e^{-x})]` with `p = posWeight`,
 * i.e. `-w·[p·y·log σ(x) + (1 - y)·log(1 - σ(x))]`, written to stay finite for large |x|.
 * Input and target have the same shape.
 * @example binaryCrossEntropyWithLogits(logits, labels, { posWeight: tensor([3]) });
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  checkTensorArgs("binaryCrossEntropyWithLogits", input, target);
  const op = "binaryCrossEntropyWithLogits";
  checkFloat(op, "input", input);
  checkFloat(op, "target", target);
  checkSameShape(op, input, target);
  const reduction = checkReduction(op, opts.reduction ?? "mean");
  // softplus(-x) = log(e^{-m} + e^{-x-m}) + m with m = max(-x, 0): no overflow either way.
  const m = input.neg().clamp(0);
  const softplusNeg = m.neg().exp().add(input.neg().sub(m).exp()).log().add(m);
  const posWeight = opts.posWeight ?? null;
  const logWeight = posWeight ? posWeight.sub(1).mul(target).add(1) : null;
  let loss = target.rsub(1).mul(input).add(logWeight ? logWeight.mul(softplusNeg) : softplusNeg);
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce(loss, reduction);
}

/** log clamped below at -100, as torch's binary_cross_entropy. */
function clampedLog(x: NDArray): NDArray {
  return backend().clamp(backend().unary("log", x), -100, undefined);
}

const bceOp = defineOp<void>({
  name: "binaryCrossEntropy",
  forward: ([x, y]) => {
    const one = NDArray.scalar(1, x!.dtype);
    const logX = clampedLog(x!);
    const log1mX = clampedLog(backend().binary("sub", one, x!));
    const pos = backend().binary("mul", y!, logX);
    const neg = backend().binary("mul", backend().binary("sub", one, y!), log1mX);
    return backend().unary("neg", backend().binary("add", pos, neg));
  },
  backward: ({ inputs: [x, y] }, g) => {
    // torch's rule: (x - y) / max(x(1 - x), 1e-12), finite at x = 0 and x = 1.
    const xd = x!.detach();
    const yd = y!.detach();
    const gx = x!.requiresGrad ? g.mul(xd.sub(yd)).div(xd.mul(xd.rsub(1)).clamp(1e-12)) : null;
    const gy = y!.requiresGrad ? g.mul(new Tensor(clampedLog(backend().binary("sub", NDArray.scalar(1, xd.dtype), xd.value))).sub(new Tensor(clampedLog(xd.value)))) : null;
    return [gx, gy];
  },
});

/**
 * Binary cross entropy of probabilities: `ℓ = -w·[y·log x + (1 - y)·log(1 - x)]`, each log
 * clamped at -100. Input in [0, 1], target of the same shape.
 * @example binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0]));
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCEOptions = {}): Tensor {
  checkTensorArgs("binaryCrossEntropy", input, target);
  const op = "binaryCrossEntropy";
  checkFloat(op, "input", input);
  checkFloat(op, "target", target);
  checkSameShape(op, input, target);
  const reduction = checkReduction(op, opts.reduction ?? "mean");
  const xs = input.data();
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (!(v >= 0 && v <= 1)) throw new Error(`${op}: all elements of input should be between 0 and 1, got ${v} (input shape ${fmt(input.shape)})`);
  }
  let loss = bceOp([input, target]);
  if (opts.weight) loss = loss.mul(opts.weight);
  return reduce(loss, reduction);
}
