import type { Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";
import * as F from "./functional/activation.js";
import { Module, pyFloat, ownLayers } from "./module.js";

/** `max(0, x)` elementwise. @example new ReLU().forward(x) */
export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return F.relu(input);
  }
}

/** `min(max(0, x), 6)`. @example new ReLU6().forward(x) */
export class ReLU6 extends Module {
  forward(input: Tensor): Tensor {
    return F.relu6(input);
  }
}

/** `tanh(x)`. @example new Tanh().forward(x) */
export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** `1 / (1 + e^−x)`. @example new Sigmoid().forward(x) */
export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** `x` for x > 0, else `negativeSlope · x` (default 0.01). @example new LeakyReLU(0.2) */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(negativeSlope: number | { negativeSlope?: number } = {}) {
    super();
    this.negativeSlope = typeof negativeSlope === "number" ? negativeSlope : negativeSlope.negativeSlope ?? 0.01;
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }

  forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope);
  }
}

/** `x` for x > 0, else `alpha · (e^x − 1)` (default alpha 1). @example new ELU({ alpha: 0.5 }) */
export class ELU extends Module {
  readonly alpha: number;
  constructor(alpha: number | { alpha?: number } = {}) {
    super();
    this.alpha = typeof alpha === "number" ? alpha : alpha.alpha ?? 1;
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }

  forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha);
  }
}

/** `max(0, x) + min(0, alpha · (e^(x/alpha) − 1))` (default alpha 1). @example new CELU(2) */
export class CELU extends Module {
  readonly alpha: number;
  constructor(alpha: number | { alpha?: number } = {}) {
    super();
    this.alpha = typeof alpha === "number" ? alpha : alpha.alpha ?? 1;
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }

  forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha);
  }
}

/** Scaled ELU with torch's constants. @example new SELU().forward(x) */
export class SELU extends Module {
  forward(input: Tensor): Tensor {
    return F.selu(input);
  }
}

/** `x · Φ(x)`, or its tanh approximation with `{ approximate: "tanh" }`. @example new GELU() */
export class GELU extends Module {
  readonly approximate: F.GeluApproximate;
  constructor(opts: { approximate?: F.GeluApproximate } = {}) {
    super();
    this.approximate = opts.approximate ?? "none";
    if (this.approximate !== "none" && this.approximate !== "tanh") {
      throw new Error(`GELU: approximate must be "none" or "tanh", got ${String(this.approximate)}`);
    }
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }

  forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }
}

/** `x · sigmoid(x)`. @example new SiLU().forward(x) */
export class SiLU extends Module {
  forward(input: Tensor): Tensor {
    return F.silu(input);
  }
}

/** `x · tanh(softplus(x))`. @example new Mish().forward(x) */
export class Mish extends Module {
  forward(input: Tensor): Tensor {
    return F.mish(input);
  }
}

/** `log(1 + e^(beta·x)) / beta`, linear above `threshold` (defaults 1, 20). @example new Softplus({ beta: 2 }) */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(opts: { beta?: number; threshold?: number } = {}) {
    super();
    this.beta = opts.beta ?? 1;
    this.threshold = opts.threshold ?? 20;
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }

  forward(input: Tensor): Tensor {
    return F.softplus(input, { beta: this.beta, threshold: this.threshold });
  }
}

/** `x / (1 + |x|)`. @example new Softsign().forward(x) */
export class Softsign extends Module {
  forward(input: Tensor): Tensor {
    return F.softsign(input);
  }
}

/** `clamp(x, minVal, maxVal)` (defaults −1, 1). @example new Hardtanh({ minVal: -2, maxVal: 2 }) */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(minVal: number | { minVal?: number; maxVal?: number } = {}, maxVal?: number) {
    super();
    const o = typeof minVal === "number" ? { minVal, maxVal } : minVal;
    this.minVal = o.minVal ?? -1;
    this.maxVal = o.maxVal ?? 1;
    if (!(this.minVal <= this.maxVal)) throw new Error(`Hardtanh: minVal (${this.minVal}) must be less than or equal to maxVal (${this.maxVal})`);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }

  forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal);
  }
}

/** `clamp(x/6 + 1/2, 0, 1)`. @example new Hardsigmoid().forward(x) */
export class Hardsigmoid extends Module {
  forward(input: Tensor): Tensor {
    return F.hardsigmoid(input);
  }
}

/** `x · hardsigmoid(x)`. @example new Hardswish().forward(x) */
export class Hardswish extends Module {
  forward(input: Tensor): Tensor {
    return F.hardswish(input);
  }
}

/** `log(sigmoid(x))`. @example new LogSigmoid().forward(x) */
export class LogSigmoid extends Module {
  forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}

/** `x − tanh(x)`. @example new Tanhshrink().forward(x) */
export class Tanhshrink extends Module {
  forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }
}

/** Shrinks toward zero by `lambd` (default 0.5). @example new Softshrink(0.3) */
export class Softshrink extends Module {
  readonly lambd: number;
  constructor(lambd: number | { lambd?: number } = {}) {
    super();
    this.lambd = typeof lambd === "number" ? lambd : lambd.lambd ?? 0.5;
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }

  forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }
}

/** Zeroes values with |x| ≤ `lambd` (default 0.5). @example new Hardshrink() */
export class Hardshrink extends Module {
  readonly lambd: number;
  constructor(lambd: number | { lambd?: number } = {}) {
    super();
    this.lambd = typeof lambd === "number" ? lambd : lambd.lambd ?? 0.5;
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }

  forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }
}

/** `x` where x > threshold, else `value`. @example new Threshold(0.1, 0) */
export class Threshold extends Module {
  constructor(readonly threshold: number, readonly value: number) {
    super();
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }

  forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value);
  }
}

/** torch's implicit softmax dim for old code: 0 for 0-, 1- and 3-D inputs, else 1. */
function implicitDim(x: Tensor): number {
  return x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1;
}

function softmaxDim(dim: number | { dim?: number } | undefined): number | undefined {
  return typeof dim === "object" ? dim.dim : dim;
}

/** Softmax along `dim` (torch's implicit dim when omitted). @example new Softmax(-1).forward(logits) */
export class Softmax extends Module {
  readonly dim: number | undefined;
  constructor(dim?: number | { dim?: number }) {
    super();
    this.dim = softmaxDim(dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }

  forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim ?? implicitDim(input));
  }
}

/** Log-softmax along `dim` (torch's implicit dim when omitted). @example new LogSoftmax(1) */
export class LogSoftmax extends Module {
  readonly dim: number | undefined;
  constructor(dim?: number | { dim?: number }) {
    super();
    this.dim = softmaxDim(dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }

  forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim ?? implicitDim(input));
  }
}

/** `softmax(−x)` along `dim`. @example new Softmin(1) */
export class Softmin extends Module {
  readonly dim: number | undefined;
  constructor(dim?: number | { dim?: number }) {
    super();
    this.dim = softmaxDim(dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? "None"}`;
  }

  forward(input: Tensor): Tensor {
    return F.softmin(input, this.dim ?? implicitDim(input));
  }
}

/**
 * Flattens dims `startDim..endDim` (defaults 1 and −1) into one.
 * @example new Flatten().forward(zeros([2, 3, 4])).shape // [2, 12]
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(opts: { startDim?: number; endDim?: number } = {}) {
    super();
    this.startDim = opts.startDim ?? 1;
    this.endDim = opts.endDim ?? -1;
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }

  forward(input: Tensor): Tensor {
    const n = Math.max(input.ndim, 1);
    for (const d of [this.startDim, this.endDim]) {
      if (d < -n || d >= n) throw new Error(`Flatten.forward: dim ${d} is out of range for input of shape ${fmt(input.shape)}`);
    }
    return input.flatten(this.startDim, this.endDim);
  }
}

ownLayers(ReLU, ReLU6, Tanh, Sigmoid, LeakyReLU, ELU, CELU, SELU, GELU, SiLU, Mish, Softplus, Softsign, Hardtanh, Hardsigmoid, Hardswish, LogSigmoid, Tanhshrink, Softshrink, Hardshrink, Threshold, Softmax, LogSoftmax, Softmin, Flatten);
