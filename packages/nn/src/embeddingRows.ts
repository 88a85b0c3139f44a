import type { Node, Tensor } from "@rnnkit/autograd";
import type { NDArray } from "@rnnkit/tensor";

/** What a plain embedding lookup's output is made of: row `index[r]` of `weight` for output row r. */
export interface EmbeddingRows {
  /** `(numEmbeddings, dim)` table. */
  weight: Tensor;
  /** Table row of each output row, in the output's row-major order. */
  index: Int32Array;
}

/** A remembered lookup and the node that made its output (to notice a detached or re-rooted output). */
interface Remembered extends EmbeddingRows {
  node: Node | null;
}

const lookups = new WeakMap<Tensor, Remembered>();

/**
 * Remembers that `out` holds `weight[index]` (a plain lookup: no padding row, max norm or
 * frequency scaling), so a recurrent layer fed `out` directly can project the small table once
 * instead of every row (`x · W_ihᵀ` = rows of `weight · W_ihᵀ`).
 */
export function rememberEmbeddingRows(out: Tensor, rows: EmbeddingRows): void {
  lookups.set(out, { ...rows, node: out.gradFn });
}

/**
 * The lookup `t` came from, if a layer fed `t` should use the table in its place: the table has
 * at most half as many rows as `t` (projecting a larger vocabulary costs more than the rows it
 * replaces), `t` is still the recorded output of a plain embedding (same autograd node, same
 * grad requirement as its table), its gradient is not retained, and its values still equal
 * `weight[index]` (neither `t` nor the table changed in place since the lookup; a read of `t`'s
 * elements). Otherwise null, and the caller takes the row path. Not seen: a `retainGrad()` on
 * `t` made only after the layer's forward (`t.grad` then misses the layer's part, which went to
 * the table directly). A table changed in place after the layer's forward is harmless: the layer
 * keeps its own copy of the table for the backward, as the row path keeps its input rows.
 */
export function embeddingRowsOf(t: Tensor): EmbeddingRows | null {
  const rows = lookups.get(t);
  if (rows === undefined || rows.weight.shape[0]! * 2 > rows.index.length) return null;
  if (t.gradFn !== rows.node || t.requiresGrad !== rows.weight.requiresGrad) return null;
  if (t.gradFn?.retained?.has(t.outputIndex)) return null;
  return sameRows(t.value, rows.weight.value, rows.index) ? rows : null;
}

/**
 * True when row r of `x` (`(…, dim)`, contiguous) holds the same bits as row `index[r]` of
 * `table` `(V, dim)` (compared as 32-bit words: no float conversion, and any change is seen).
 */
function sameRows(x: NDArray, table: NDArray, index: Int32Array): boolean {
  const dim = table.shape[1]!;
  if (table.ndim !== 2 || x.dtype !== table.dtype || x.size !== index.length * dim || !x.isContiguous()) return false;
  if (!table.isContiguous()) return sameRowsStrided(x, table, index);
  const k = x.data.BYTES_PER_ELEMENT / 4;
  const xw = words(x.data, x.offset, x.size);
  const tw = words(table.data, table.offset, table.size);
  const w = dim * k;
  for (let r = 0, o = 0; r < index.length; r++, o += w) {
    const base = index[r]! * w;
    for (let c = 0; c < w; c++) if (xw[o + c] !== tw[base + c]) return false;
  }
  return true;
}

/** `n` elements of `data` from `offset` as 32-bit words. */
function words(data: NDArray["data"], offset: number, n: number): Int32Array {
  const k = data.BYTES_PER_ELEMENT / 4;
  return new Int32Array(data.buffer, data.byteOffset + offset * data.BYTES_PER_ELEMENT, n * k);
}

/** `sameRows` for a table with any strides, element by element. */
function sameRowsStrided(x: NDArray, table: NDArray, index: Int32Array): boolean {
  const dim = table.shape[1]!;
  const [s0, s1] = [table.strides[0]!, table.strides[1]!];
  for (let r = 0, o = x.offset; r < index.length; r++, o += dim) {
    const base = table.offset + index[r]! * s0;
    for (let c = 0; c < dim; c++) if (!Object.is(x.data[o + c], table.data[base + c * s1])) return false;
  }
  return true;
}
