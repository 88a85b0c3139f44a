import type { Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";
import { affine2d } from "./linearOp.js";

/**
 * `y = x · Wᵀ + b`. x: `(*, in)`, weight: `(out, in)`, bias: `(out)` → `(*, out)`.
 * @example linear(randn([2, 4]), randn([3, 4]), zeros([3])).shape // [2, 3]
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (weight.ndim !== 2) throw new Error(`linear: weight must be 2-D (out, in), got shape ${fmt(weight.shape)}`);
  if (input.ndim === 0) throw new Error(`linear: input must have at least 1 dim, got shape ${fmt(input.shape)}`);
  const inFeatures = weight.shape[1]!;
  if (input.shape[input.ndim - 1] !== inFeatures) {
    throw new Error(`linear: expected input with last dim ${inFeatures}, got shape ${fmt(input.shape)} (weight shape ${fmt(weight.shape)})`);
  }
  const outFeatures = weight.shape[0]!;
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new Error(`linear: bias must have shape [${outFeatures}], got shape ${fmt(bias.shape)}`);
  }
  const dtype = weight.dtype;
  if (dtype !== "int32" && input.dtype === dtype && (bias === null || bias.dtype === dtype) && input.numel() > 0 && weight.numel() > 0) {
    const lead = input.shape.slice(0, -1);
    const y = affine2d(input.reshape([-1, inFeatures]), weight, bias);
    return y.reshape([...lead, outFeatures]);
  }
  const out = input.matmul(weight.t());
  return bias === null ? out : out.add(bias);
}

/**
 * `y_k = x1ᵀ · W_k · x2 + b_k`. x1: `(*, in1)`, x2: `(*, in2)` (same leading dims), weight:
 * `(out, in1, in2)`, bias: `(out)` → `(*, out)`.
 * @example bilinear(randn([2, 4]), randn([2, 3]), randn([5, 4, 3])).shape // [2, 5]
 */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const op = "bilinear";
  if (weight.ndim !== 3) throw new Error(`${op}: weight must be 3-D (out, in1, in2), got shape ${fmt(weight.shape)}`);
  const [outF, in1, in2] = [weight.shape[0]!, weight.shape[1]!, weight.shape[2]!];
  const lead1 = input1.shape.slice(0, -1);
  const lead2 = input2.shape.slice(0, -1);
  if (input1.ndim === 0 || input1.shape[input1.ndim - 1] !== in1 || input2.ndim === 0 || input2.shape[input2.ndim - 1] !== in2
    || lead1.length !== lead2.length || lead1.some((s, i) => s !== lead2[i])) {
    throw new Error(`${op}: expected inputs of shapes [*, ${in1}] and [*, ${in2}] with equal leading dims, got ${fmt(input1.shape)} and ${fmt(input2.shape)} (weight shape ${fmt(weight.shape)})`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new Error(`${op}: bias must have shape [${outF}], got shape ${fmt(bias.shape)}`);
  }
  const n = lead1.reduce((a, b) => a * b, 1);
  const x1 = input1.reshape([n, in1]);
  const x2 = input2.reshape([n, in2]);
  // (n, in1) · (in1, out·in2) → (n, out, in2), then contract in2 against x2.
  const t = x1.matmul(weight.permute(1, 0, 2).reshape([in1, outF * in2])).reshape([n, outF, in2]);
  let y = t.mul(x2.unsqueeze(1)).sum(2);
  if (bias !== null) y = y.add(bias);
  return y.reshape([...lead1, outF]);
}
