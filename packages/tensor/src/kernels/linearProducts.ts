import type { Floats } from "../dtype.js";
import { columnSums } from "./columnSums.js";
import type { GemmFn } from "./matmul.js";

/**
 * `out = x · Wᵀ + bias` (N × O) on `gemm`: `bias` copied into every row of `out`, then the product
 * added onto it (beta 1); without bias a plain product (beta 0).
 * @example affineRowsOn(gemm, 2, 4, 3, x, w, b, out)
 */
export function affineRowsOn(gemm: GemmFn, N: number, I: number, O: number, x: Floats, w: Floats, bias: Floats | null, out: Floats): void {
  if (bias) {
    const row = bias.subarray(0, O);
    for (let r = 0; r < N; r++) out.set(row, r * O);
  }
  gemm(false, true, N, O, I, 1, x, 0, I, w, 0, I, bias ? 1 : 0, out, 0, O);
}

/**
 * `dx = g · W` (N × I), `dw = gᵀ · X` (O × I) on `gemm` and `db` (O) the column sums of `g`
 * (N × O), each skipped when null.
 * @example linearGradsOn(gemm, 2, 4, 3, g, w, x, dx, dw, db)
 */
export function linearGradsOn(
  gemm: GemmFn, N: number, I: number, O: number, g: Floats, w: Floats, x: Floats,
  dx: Floats | null, dw: Floats | null, db: Floats | null,
): void {
  if (db) columnSums(g, N, O, db);
  if (dx) gemm(false, false, N, I, O, 1, g, 0, O, w, 0, I, 0, dx, 0, I);
  if (dw) gemm(true, false, O, I, N, 1, g, 0, O, x, 0, I, 0, dw, 0, I);
}
