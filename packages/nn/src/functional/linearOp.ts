import { defineOp, freshGrad, isGradEnabled, Tensor } from "@rnnkit/autograd";
import { allocArray, backend, NDArray, type Floats } from "@rnnkit/tensor";


// A primitive for speed: one GEMM onto the bias rows in the forward and three direct products
// in the backward, instead of matmul, transpose and broadcast-add nodes with their copies.
const affineOp = defineOp<void>({
  name: "linear",
  saves: (r) => [...(r[1] ? [0] : []), ...(r[0] ? [1] : [])],
  forward: ([x, w, b]) => {
    const [N, I] = x!.shape as [number, number];
    const O = w!.shape[0]!;
    const out = allocArray(x!.dtype, N * O) as Floats;
    backend().affineRows(N, I, O, x!.flat() as Floats, w!.flat() as Floats, b ? (b.flat() as Floats) : null, out);
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
    // dX = g · W, dW = gᵀ · X and db = Σ_rows g in one call: the backend may share one copy of g.
    const dx = x!.requiresGrad ? (allocArray(dtype, N * I) as Floats) : null;
    const dw = w!.requiresGrad ? (allocArray(dtype, O * I) as Floats) : null;
    const db = b?.requiresGrad ? (allocArray(dtype, O) as Floats) : null;
    backend().linearGrads(N, I, O, gv, w!.value.flat() as Floats, x!.value.flat() as Floats, dx, dw, db);
    const grad = (c: Floats | null, rows: number): Tensor | null => (c ? freshGrad(new Tensor(new NDArray(c, [rows, I]))) : null);
    return [grad(dx, N), grad(dw, O), db ? freshGrad(new Tensor(new NDArray(db, [O]))) : null];
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
