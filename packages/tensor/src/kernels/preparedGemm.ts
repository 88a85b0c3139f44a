import type { Floats } from "../dtype.js";
import type { PreparedGemmB } from "../backend.js";
import { gemm } from "./matmul.js";


/**
 * Copies op(B) (k × n) row-major and compacted, so later edits to `b` do not reach the copy.
 * @example compactOpB(true, 2, 3, b, 0, 3) // the 2 × 3 rows of b, as b stores them (op(B) = Bᵀ)
 */
export function compactOpB(transB: boolean, n: number, k: number, b: Floats, bOff: number, ldb: number): Floats {
  const rows = transB ? n : k;
  const cols = transB ? k : n;
  const out = b instanceof Float64Array ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  if (ldb === cols) out.set(b.subarray(bOff, bOff + rows * cols));
  else for (let r = 0; r < rows; r++) out.set(b.subarray(bOff + r * ldb, bOff + r * ldb + cols), r * cols);
  return out;
}

/**
 * The JS backend's `prepareGemmB`: a compact copy of B, each product one `gemm` call on it.
 * @example prepareGemmB(true, 8, 4, w, 0, 4).gemm(2, h, 0, 4, out, 0, 8) // out = h · wᵀ
 */
export function prepareGemmB(transB: boolean, n: number, k: number, b: Floats, bOff: number, ldb: number): PreparedGemmB {
  const src = compactOpB(transB, n, k, b, bOff, ldb);
  const ld = transB ? k : n;
  return {
    n,
    k,
    gemm(m, a, aOff, lda, c, cOff, ldc) {
      gemm(false, transB, m, n, k, 1, a, aOff, lda, src, 0, ld, 0, c, cOff, ldc);
    },
  };
}
