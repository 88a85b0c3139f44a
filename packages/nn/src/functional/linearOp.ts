import { defineOp, freshGrad, isGradEnabled, Tensor } from "@rnnkit/autograd";
import { allocArray, backend, NDArray, type Floats } from "@rnnkit/tensor";
import { columnSums } from "../columnSums.js";


/** Every one of `rows` rows of width `W` set to `row` (the bias the GEMM then adds onto). */
function fillRows(dst: Floats, rows: number, W: number, row: Floats): void {
  const src = row.subarray(0, W);
  for (let r = 0; r < rows; r++) dst.set(src, r * W);
}

// A primitive for speed: one GEMM onto the bias rows in the forward and three direct products
// in the backward, instead of matmul, transpose and broadcast-add nodes with their copies.
const affineOp = defineOp<void>({
  name: "linear",
  saves: (r) => [...(r[1] ? [0] : []), ...(r[0] ? [1] : [])],
  forward: ([x, w, b]) => {
    const [N, I] = x!.shape as [number, number];
    const O = w!.shape[0]!;
    const out = allocArray(x!.dtype, N * O) as Floats;
    if (b) fillRows(out, N, O, b.flat() as Floats);
    backend().gemm(false, true, N, O, I, 1, x!.flat() as Floats, 0, I, w!.flat() as Floats, 0, I, b ? 1 : 0, out, 0, O);
    return new NDArray(out, [N, O]);
  },
  backward: ({ inputs: [x, w, b] }, g) => {
    if (isGradEnabled()) {
      // Building a higher-order graph: the same gradients in differentiable ops.
      return [x!.requiresGrad ? g.matmul(w!) : null, w!.requiresGrad ? g.t().matmul(x!) : null, b?.requiresGrad ? g.sum(0) : null];
    }
    const [N, I] = x!.shape as [number, number];
    const O = w!.shape[0]!;
    const dtype = x!.dtype;
    const gv = g.value.flat() as Floats;
    const product = (transA: boolean, m: number, n: number, k: number, a: Floats, bm: Floats): Tensor => {
      const c = allocArray(dtype, m * n) as Floats;
      backend().gemm(transA, false, m, n, k, 1, a, 0, transA ? m : k, bm, 0, n, 0, c, 0, n);
      return freshGrad(new Tensor(new NDArray(c, [m, n])));
    };
    let db: Tensor | null = null;
    if (b?.requiresGrad) {
      const sums = allocArray(dtype, O) as Floats;
      columnSums(gv, N, O, sums);
      db = freshGrad(new Tensor(new NDArray(sums, [O])));
    }
    return [
      x!.requiresGrad ? product(false, N, I, O, gv, w!.value.flat() as Floats) : null, // dX = g · W
      w!.requiresGrad ? product(true, O, I, N, gv, x!.value.flat() as Floats) : null, // dW = gᵀ · X
      db,
    ];
  },
});

/**
 * `x · Wᵀ + b` for 2-D `x` `(N, in)`, `weight` `(out, in)`, `bias` `(out)` or null, all of one
 * float dtype, as one recorded op.
 * @example affine2d(randn([2, 4]), randn([3, 4]), zeros([3])).shape // [2, 3]
 */
export function affine2d(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  return affineOp(bias ? [x, weight, bias] : [x, weight], undefined);
}
