import type { Tensor } from "@rnnkit/autograd";
import { Module } from "@rnnkit/nn";
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCEOptions, type BCEWithLogitsOptions } from "./binaryCrossEntropy.js";
import { crossEntropy, type CrossEntropyOptions } from "./crossEntropy.js";
import { nllLoss, type NLLLossOptions } from "./nllLoss.js";
import { checkReduction, type Reduction, type ReductionOptions } from "./reduction.js";
import { huberLoss, l1Loss, mseLoss, smoothL1Loss, type HuberOptions, type SmoothL1Options } from "./regression.js";

/** Base of the loss modules: holds the reduction; class weights are buffers (saved, not trained). */
export abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor(name: string, reduction: Reduction | undefined) {
    super();
    this.reduction = checkReduction(name, reduction ?? "mean");
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/**
 * `crossEntropy` as a module: logits `(C)`, `(N, C)` or `(N, C, d...)` against int32 class indices
 * or float class probabilities.
 * @example new CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, target);
 */
export class CrossEntropyLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(opts: CrossEntropyOptions = {}) {
    super("CrossEntropyLoss", opts.reduction);
    this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/**
 * `nllLoss` as a module: log-probabilities against int32 class indices.
 * @example new NLLLoss({ ignoreIndex: 0 }).forward(logp, target);
 */
export class NLLLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(opts: NLLLossOptions = {}) {
    super("NLLLoss", opts.reduction);
    this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/**
 * `mseLoss` as a module: `(x - y)²`, reduced.
 * @example new MSELoss().forward(pred, target);
 */
export class MSELoss extends Loss {
  constructor(opts: ReductionOptions = {}) {
    super("MSELoss", opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * `l1Loss` as a module: `|x - y|`, reduced.
 * @example new L1Loss({ reduction: "sum" }).forward(pred, target);
 */
export class L1Loss extends Loss {
  constructor(opts: ReductionOptions = {}) {
    super("L1Loss", opts.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * `smoothL1Loss` as a module.
 * @example new SmoothL1Loss({ beta: 0.5 }).forward(pred, target);
 */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(opts: SmoothL1Options = {}) {
    super("SmoothL1Loss", opts.reduction);
    this.beta = opts.beta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * `huberLoss` as a module.
 * @example new HuberLoss({ delta: 2 }).forward(pred, target);
 */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(opts: HuberOptions = {}) {
    super("HuberLoss", opts.reduction);
    this.delta = opts.delta ?? 1;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * `binaryCrossEntropy` as a module (inputs are probabilities).
 * @example new BCELoss().forward(sigmoidOut, labels);
 */
export class BCELoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor(opts: BCEOptions = {}) {
    super("BCELoss", opts.reduction);
    this.registerBuffer("weight", opts.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * `binaryCrossEntropyWithLogits` as a module; `posWeight` is saved as torch's `pos_weight`.
 * @example new BCEWithLogitsLoss({ posWeight: tensor([2, 1, 1]) }).forward(logits, labels);
 */
export class BCEWithLogitsLoss extends Loss {
  declare readonly weight: Tensor | null;
  declare readonly pos_weight: Tensor | null;
  constructor(opts: BCEWithLogitsOptions = {}) {
    super("BCEWithLogitsLoss", opts.reduction);
    this.registerBuffer("weight", opts.weight ?? null);
    this.registerBuffer("pos_weight", opts.posWeight ?? null);
  }
  /** The positive-class weight (torch's `pos_weight` buffer). */
  get posWeight(): Tensor | null {
    return this.pos_weight;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.pos_weight, reduction: this.reduction });
  }
}
