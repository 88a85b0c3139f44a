import { backend, NDArray, normDim } from "@rnnkit/tensor";
import { defineOp } from "../defineOp.js";
import { Tensor } from "../tensor.js";
import { requireIndex, requireTensor } from "./checks.js";

const indexSelectOp = defineOp<{ dim: number; index: NDArray }>({
  name: "indexSelect",
  saves: () => [],
  forward: ([x], { dim, index }) => backend().indexSelect(x!, dim, index),
  backward: ({ inputs: [x], args: { dim, index } }, g) => [
    new Tensor(NDArray.zeros(x!.shape, g.dtype)).indexAdd(dim, new Tensor(index), g),
  ],
});
/** Rows (or slices along `dim`) picked by an int32 index vector. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  requireIndex(index, "indexSelect");
  return indexSelectOp([x], { dim: normDim(dim, Math.max(x.ndim, 1), "indexSelect"), index: index.value });
}

const indexAddOp = defineOp<{ dim: number; index: NDArray }>({
  name: "indexAdd",
  saves: () => [],
  forward: ([x, src], { dim, index }) => backend().indexAdd(x!, dim, index, src!),
  backward: ({ args: { dim, index } }, g) => [g, indexSelect(g, dim, new Tensor(index))],
});
/** A copy of `x` with slices of `src` added at `index` along `dim` (torch.index_add). */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  requireIndex(index, "indexAdd");
  requireTensor(src, "indexAdd", "src");
  return indexAddOp([x, src], { dim: normDim(dim, Math.max(x.ndim, 1), "indexAdd"), index: index.value });
}

const gatherOp = defineOp<{ dim: number; index: NDArray }>({
  name: "gather",
  saves: () => [],
  forward: ([x], { dim, index }) => backend().gather(x!, dim, index),
  backward: ({ inputs: [x], args: { dim, index } }, g) => [
    new Tensor(NDArray.zeros(x!.shape, g.dtype)).scatterAdd(dim, new Tensor(index), g),
  ],
});
/** `out[i][j] = x[i][index[i][j]]` along `dim` (torch.gather); index is int32. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  requireIndex(index, "gather");
  return gatherOp([x], { dim: normDim(dim, Math.max(x.ndim, 1), "gather"), index: index.value });
}

const scatterAddOp = defineOp<{ dim: number; index: NDArray }>({
  name: "scatterAdd",
  saves: () => [],
  forward: ([x, src], { dim, index }) => backend().scatterAdd(x!, dim, index, src!),
  backward: ({ inputs: [, src], args: { dim, index } }, g) => {
    const gs = gather(g, dim, new Tensor(index));
    // src may be larger than index: its extra entries get no gradient.
    if (gs.shape.every((s, i) => s === src!.shape[i])) return [g, gs];
    const full = NDArray.zeros(src!.shape, g.dtype);
    const view = new NDArray(full.data, index.shape, full.strides, 0);
    const vals = gs.value.flat();
    let k = 0;
    view.forEachOffset((o) => {
      full.data[o] = vals[k++]!;
    });
    return [g, new Tensor(full)];
  },
});
/** A copy of `x` with `src` added at `index` along `dim` (torch.scatter_add). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  requireIndex(index, "scatterAdd");
  requireTensor(src, "scatterAdd", "src");
  return scatterAddOp([x, src], { dim: normDim(dim, Math.max(x.ndim, 1), "scatterAdd"), index: index.value });
}

/** One-hot encoding of int32 class indices (int32 result, as torch's int64). */
export function oneHot(index: Tensor, numClasses = -1): Tensor {
  requireIndex(index, "oneHot", "input");
  return new Tensor(backend().oneHot(index.value, numClasses));
}
