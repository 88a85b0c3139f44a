import { allocArray, backend, type DType } from "@rnnkit/tensor";
import type { RNNMode } from "./rnnBase.js";
import type { Floats } from "./gateKernels.js";
import { takeWorkspace } from "./workspacePool.js";

/**
 * The input half of every gate of a fused sequence, `x · W_ihᵀ` `(N, G·H)`, as one GEMM into a
 * workspace buffer (no tensor, no bias pass). `b_ih` goes into the bias the cell step adds
 * (`stepBias`), except GRU's `b_in`, which sits outside `r · (W_hn h + b_hn)` and is added to
 * the n block of the rows here.
 */
export function projectInputs(
  mode: RNNMode, dtype: "float32" | "float64", x: Floats, N: number, I: number, wih: Floats, GH: number, bih: Floats | null,
): Floats {
  const gi = takeWorkspace(dtype, N * GH);
  backend().gemm(false, true, N, GH, I, 1, x, 0, I, wih, 0, I, 0, gi, 0, GH);
  if (mode === "GRU" && bih) addColumnBias(gi, N, GH, (2 * GH) / 3, GH, bih);
  return gi;
}

/** `gi[r][j] += b[j]` for columns `from ≤ j < to` of `rows` rows of width `W`. */
function addColumnBias(gi: Floats, rows: number, W: number, from: number, to: number, b: Floats): void {
  for (let r = 0; r < rows; r++) {
    const o = r * W;
    for (let j = from; j < to; j++) gi[o + j]! += b[j]!;
  }
}

/**
 * The bias a fused cell step adds to `gi + gh`: `b_ih + b_hh` (rounded to the dtype), but for
 * GRU's n gate only `b_hn` (its `b_in` is already in `gi`). Zeros for a layer without biases.
 */
export function stepBias(mode: RNNMode, dtype: DType, GH: number, bih: Floats | null, bhh: Floats | null): Floats {
  const b = allocArray(dtype, GH) as Floats;
  const ihEnd = mode === "GRU" ? (2 * GH) / 3 : GH;
  if (bhh) b.set(bhh.subarray(0, GH));
  if (bih) for (let j = 0; j < ihEnd; j++) b[j] = b[j]! + bih[j]!;
  return b;
}
