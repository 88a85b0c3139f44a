import { backend, broadcastShapes, fmt } from "@rnnkit/tensor";
import { defineOp } from "../defineOp.js";
import { sumToShape } from "../gradUtil.js";
import type { Tensor } from "../tensor.js";
import { requireTensor } from "./checks.js";

const matmulOp = defineOp<void>({
  name: "matmul",
  saves: (r) => [...(r[1] ? [0] : []), ...(r[0] ? [1] : [])],
  forward: ([a, b]) => backend().matmul(a!, b!),
  backward: ({ inputs: [a, b] }, g) => [
    a!.requiresGrad ? sumToShape(g.matmul(b!.transpose(-1, -2)), a!.shape) : null,
    b!.requiresGrad ? sumToShape(a!.transpose(-1, -2).matmul(g), b!.shape) : null,
  ],
});

/**
 * torch.matmul: 1-D·1-D is a dot product, 2-D·2-D a matrix product, and higher ranks are
 * batched with broadcast batch dims; a 1-D operand gets a temporary dim that is removed after.
 * @example matmul(randn([2, 3]), randn([3, 4])).shape // [2, 4]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  requireTensor(b, "matmul", "other");
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both arguments need at least 1 dim, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  if (a.dtype === "int32" || b.dtype === "int32") {
    if (a.dtype !== b.dtype) throw new Error(`matmul: expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}`);
    // Integer products are exact in float64; the result keeps int32, as torch's does.
    return matmul(a.to("float64"), b.to("float64")).to("int32");
  }
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  const ka = a2.shape[a2.ndim - 1]!;
  const kb = b2.shape[b2.ndim - 2]!;
  if (ka !== kb) {
    throw new Error(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${ka} vs ${kb} in the contracted dim)`);
  }
  try {
    broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2), "matmul");
  } catch {
    throw new Error(`matmul: the batch dims of shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be broadcast`);
  }
  let out = matmulOp([a2, b2]);
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}

/** Matrix product of two 2-D tensors. */
export function mm(a: Tensor, b: Tensor): Tensor {
  requireTensor(b, "mm", "other");
  if (a.ndim !== 2 || b.ndim !== 2) throw new Error(`mm: expects 2-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  return matmul(a, b);
}

/** Batched matrix product of two 3-D tensors with equal batch sizes. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  requireTensor(b, "bmm", "other");
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0]) {
    throw new Error(`bmm: expects 3-D tensors with the same batch size, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  return matmul(a, b);
}
