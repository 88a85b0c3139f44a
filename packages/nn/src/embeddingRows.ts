import type { Tensor } from "@rnnkit/autograd";

/** What a plain embedding lookup's output is made of: row `index[r]` of `weight` for output row r. */
export interface EmbeddingRows {
  /** `(numEmbeddings, dim)` table. */
  weight: Tensor;
  /** Table row of each output row, in the output's row-major order. */
  index: Int32Array;
}

const lookups = new WeakMap<Tensor, EmbeddingRows>();

/**
 * Remembers that `out` holds `weight[index]` (a plain lookup: no padding row, max norm or
 * frequency scaling), so a recurrent layer fed `out` directly can project the small table once
 * instead of every row (`x · W_ihᵀ` = rows of `weight · W_ihᵀ`).
 */
export function rememberEmbeddingRows(out: Tensor, rows: EmbeddingRows): void {
  lookups.set(out, rows);
}

/** The lookup `t` came from, if it is the unchanged output of a plain embedding. */
export function embeddingRowsOf(t: Tensor): EmbeddingRows | null {
  return lookups.get(t) ?? null;
}
