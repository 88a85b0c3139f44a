import { where, type Tensor } from "@rnnkit/autograd";
import { checkBroadcast, checkFloat, checkReduction, reduce, type Reduction, type ReductionOptions, checkTensorArgs } from "./reduction.js";

/** The checks every elementwise regression loss starts with, in order; returns the reduction. */
function checkRegression(op: string, input: Tensor, target: Tensor, opts: ReductionOptions): Reduction {
  checkFloat(op, "input", input);
  checkBroadcast(op, input, target);
  return checkReduction(op, opts.reduction ?? "mean");
}

/**
 * Mean squared error: `ℓ = (x - y)²`, reduced. Input and target broadcast as in torch.
 * @example mseLoss(pred, target); // scalar
 */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  checkTensorArgs("mseLoss", input, target);
  const reduction = checkRegression("mseLoss", input, target, opts);
  return reduce(input.sub(target).square(), reduction);
}

/**
 * Mean absolute error: `ℓ = |x - y|`, reduced.
 * @example l1Loss(pred, target, { reduction: "sum" });
 */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  checkTensorArgs("l1Loss", input, target);
  const reduction = checkRegression("l1Loss", input, target, opts);
  return reduce(input.sub(target).abs(), reduction);
}

/** Options of `smoothL1Loss`. */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/**
 * Smooth L1: `ℓ = 0.5·d²/β` where `|d| < β`, else `|d| - 0.5·β` (d = x - y).
 * @example smoothL1Loss(pred, target, { beta: 0.5 });
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  checkTensorArgs("smoothL1Loss", input, target);
  const op = "smoothL1Loss";
  const reduction = checkRegression(op, input, target, opts);
  const beta = opts.beta ?? 1;
  if (beta < 0) throw new Error(`${op}: beta must be non-negative, got ${beta}`);
  const d = input.sub(target).abs();
  if (beta === 0) return reduce(d, reduction);
  return reduce(where(d.lt(beta), d.square().mul(0.5 / beta), d.sub(0.5 * beta)), reduction);
}

/** Options of `huberLoss`. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1, must be positive). */
  delta?: number;
}

/**
 * Huber: `ℓ = 0.5·d²` where `|d| < δ`, else `δ·(|d| - 0.5·δ)` (d = x - y).
 * @example huberLoss(pred, target, { delta: 2 });
 */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  checkTensorArgs("huberLoss", input, target);
  const op = "huberLoss";
  const reduction = checkRegression(op, input, target, opts);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new Error(`${op}: delta must be positive, got ${delta}`);
  const d = input.sub(target).abs();
  return reduce(where(d.lt(delta), d.square().mul(0.5), d.sub(0.5 * delta).mul(delta)), reduction);
}
