import { type Generator, Tensor, zeros } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";
import { linear, bilinear } from "./functional/linear.js";
import { kaimingUniform_, uniform_ } from "./init.js";
import { Module, pyBool, ownLayers } from "./module.js";
import { Parameter } from "./parameter.js";

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the default initialization (default: the global one). */
  generator?: Generator;
}

/** Throws unless `value` is a non-negative integer, naming the layer and the argument. */
export function checkSize(value: number, what: string, op: string): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`${op}: ${what} must be a non-negative integer, got ${value}`);
}

/**
 * `y = x · Wᵀ + b`. weight `(outFeatures, inFeatures)` and bias `(outFeatures)` start as torch's
 * (W ~ kaiming-uniform with a = √5, b ~ U(−1/√in, 1/√in)). Input `(*, in)` → `(*, out)`.
 * @example
 * const fc = new Linear(4, 2);
 * fc.forward(randn([3, 4])).shape; // [3, 2]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkSize(inFeatures, "inFeatures", "Linear");
    checkSize(outFeatures, "outFeatures", "Linear");
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(zeros([outFeatures, inFeatures]));
    this.bias = opts.bias ?? true ? new Parameter(zeros([outFeatures])) : null;
    this.resetParameters(opts.generator);
  }

  /** Re-draws the weights as the constructor did (torch's reset_parameters). */
  resetParameters(generator?: Generator): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, { a: -bound, b: bound, generator });
    }
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }

  /** `(*, inFeatures)` → `(*, outFeatures)`. */
  forward(input: Tensor): Tensor {
    if (!(input instanceof Tensor)) throw new Error("Linear.forward: input must be a Tensor");
    if (input.ndim === 0 || input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new Error(`Linear.forward: expected input with last dim ${this.inFeatures}, got shape ${fmt(input.shape)}`);
    }
    if (input.dtype === "int32") throw new Error(`Linear.forward: input must be float32, got int32 of shape ${fmt(input.shape)}`);
    return linear(input, this.weight, this.bias);
  }
}

/**
 * `y_k = x1ᵀ · W_k · x2 + b_k`: weight `(out, in1, in2)`, bias `(out)`, both U(−1/√in1, 1/√in1)
 * as torch. Inputs `(*, in1)` and `(*, in2)` → `(*, out)`.
 * @example new Bilinear(4, 3, 5).forward(randn([2, 4]), randn([2, 3])).shape // [2, 5]
 */
export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkSize(in1Features, "in1Features", "Bilinear");
    checkSize(in2Features, "in2Features", "Bilinear");
    checkSize(outFeatures, "outFeatures", "Bilinear");
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(zeros([outFeatures, in1Features, in2Features]));
    this.bias = opts.bias ?? true ? new Parameter(zeros([outFeatures])) : null;
    this.resetParameters(opts.generator);
  }

  /** Re-draws the weights as the constructor did. */
  resetParameters(generator?: Generator): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, { a: -bound, b: bound, generator });
    if (this.bias) uniform_(this.bias, { a: -bound, b: bound, generator });
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }

  /** `(*, in1Features)` and `(*, in2Features)` → `(*, outFeatures)`. */
  forward(input1: Tensor, input2: Tensor): Tensor {
    if (input1.shape[input1.ndim - 1] !== this.in1Features || input2.shape[input2.ndim - 1] !== this.in2Features) {
      throw new Error(`Bilinear.forward: expected inputs with last dims ${this.in1Features} and ${this.in2Features}, got shapes ${fmt(input1.shape)} and ${fmt(input2.shape)}`);
    }
    return bilinear(input1, input2, this.weight, this.bias);
  }
}

/**
 * Returns its input unchanged (a placeholder layer).
 * @example new Identity().forward(x) === x
 */
export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

ownLayers(Linear, Bilinear, Identity);
