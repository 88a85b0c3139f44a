import { oneHot as oneHotOp, type Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/**
 * One-hot encoding: int32 indices of any shape → int32 `(*shape, numClasses)`; with
 * `numClasses` −1 (the default) it is `max(indices) + 1`.
 * @example oneHot(tensor([0, 2], { dtype: "int32" }), 3).toArray() // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  if (indices.dtype !== "int32") {
    throw new Error(`oneHot: indices must be an int32 tensor, got ${indices.dtype} of shape ${fmt(indices.shape)}`);
  }
  const flat = indices.value.flat();
  let max = -1;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (v < 0) throw new Error(`oneHot: class values must be non-negative, got ${v} (indices shape ${fmt(indices.shape)})`);
    if (v > max) max = v;
  }
  if (numClasses === -1) {
    if (flat.length === 0) throw new Error("oneHot: can not infer the total number of classes from an empty tensor");
    return oneHotOp(indices, max + 1);
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`oneHot: numClasses must be -1 or a positive integer, got ${numClasses}`);
  if (max >= numClasses) throw new Error(`oneHot: class value ${max} is too large for numClasses ${numClasses} (indices shape ${fmt(indices.shape)})`);
  return oneHotOp(indices, numClasses);
}
