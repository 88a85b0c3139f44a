import { allocArray, backend, type DType } from "@rnnkit/tensor";
import type { RNNMode } from "./rnnBase.js";
import type { Floats } from "@rnnkit/tensor";
import { takeWorkspace } from "./workspacePool.js";

/**
 * The input half of every gate of a fused sequence whose rows are rows of an embedding table
 * (`table`), `(N, G·H)` in a workspace: the table is projected once, `E · W_ihᵀ`, and its rows
 * copied (`V · G·H · in` multiply-adds instead of `N · G·H · in`). `b_ih` goes into the bias the
 * cell step adds (`stepBias`), except GRU's `b_in`, which sits outside `r · (W_hn h + b_hn)` and
 * is added to the n block here. (Plain rows are projected by the backend: `recurrentSequence`'s `input`.)
 */
export function projectTableRows(
  mode: RNNMode, dtype: "float32" | "float64", N: number, I: number, wih: Floats, GH: number, bih: Floats | null, table: TableRows,
): Floats {
  const gi = takeWorkspace(dtype, N * GH);
  const V = table.weight.length / I;
  const projected = allocArray(dtype, V * GH) as Floats;
  backend().gemm(false, true, V, GH, I, 1, table.weight, 0, I, wih, 0, I, 0, projected, 0, GH);
  if (mode === "GRU" && bih) addColumnBias(projected, V, GH, (2 * GH) / 3, GH, bih);
  copyRows(gi, projected, table.index, GH);
  return gi;
}

/** Rows of `x` given as rows of an embedding table: row r of `x` is row `index[r]` of `weight` `(V, in)`. */
export interface TableRows {
  weight: Floats;
  index: Int32Array;
}

/** `dst` row r = `src` row `index[r]`, rows of width `W`. */
function copyRows(dst: Floats, src: Floats, index: Int32Array, W: number): void {
  for (let r = 0; r < index.length; r++) {
    const o = index[r]! * W;
    dst.set(src.subarray(o, o + W), r * W);
  }
}

/**
 * `sums` row v = Σ of the rows r of `d` (width `W`) with `index[r] = v`, added in float64: the
 * gradient of the table rows' projection, from which `dW_ih` and the table's gradient follow as
 * small GEMMs; `totals` = Σ of all rows (float64), the column sums of `d`. Rows are grouped by
 * token first so each pass adds four rows into one accumulator row.
 */
export function tableRowSums(
  d: Floats, index: Int32Array, W: number, V: number, dtype: "float32" | "float64",
): { sums: Floats; totals: Float64Array } {
  // Counting sort of the rows by token.
  const start = new Int32Array(V + 1);
  for (let r = 0; r < index.length; r++) start[index[r]! + 1]!++;
  for (let v = 0; v < V; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, V);
  const order = new Int32Array(index.length);
  for (let r = 0; r < index.length; r++) order[fill[index[r]!]!++] = r;
  const acc = new Float64Array(V * W);
  for (let v = 0; v < V; v++) addRowGroup(d, order, start[v]!, start[v + 1]!, W, acc, v * W);
  const sums = allocArray(dtype, V * W) as Floats;
  sums.set(acc);
  const totals = new Float64Array(W);
  for (let q = 0; q < V * W; q += W) for (let j = 0; j < W; j++) totals[j]! += acc[q + j]!;
  return { sums, totals };
}

/** `acc[o..o+W] += Σ` of rows `order[from..to]` of `d`, four rows per pass. */
function addRowGroup(d: Floats, order: Int32Array, from: number, to: number, W: number, acc: Float64Array, o: number): void {
  let k = from;
  for (; k + 4 <= to; k += 4) {
    const a = order[k]! * W;
    const b = order[k + 1]! * W;
    const c = order[k + 2]! * W;
    const e = order[k + 3]! * W;
    for (let j = 0; j < W; j++) acc[o + j]! += d[a + j]! + d[b + j]! + d[c + j]! + d[e + j]!;
  }
  for (; k < to; k++) {
    const a = order[k]! * W;
    for (let j = 0; j < W; j++) acc[o + j]! += d[a + j]!;
  }
}

/** `gi[r][j] += b[j]` for columns `from ≤ j < to` of `rows` rows of width `W`. */
function addColumnBias(gi: Floats, rows: number, W: number, from: number, to: number, b: Floats): void {
  for (let r = 0; r < rows; r++) {
    const o = r * W;
    for (let j = from; j < to; j++) gi[o + j]! += b[j]!;
  }
}

/**
 * The bias that goes into the input half of the gates when the backend projects the rows itself
 * (`recurrentSequence`'s `input`): GRU's `b_in` in the n block (zeros elsewhere), as `projectTableRows`
 * adds it; null for LSTM, whose input bias is all in `stepBias`, or without bias.
 */
export function inputBias(mode: RNNMode, dtype: DType, GH: number, bih: Floats | null): Floats | null {
  if (mode !== "GRU" || !bih) return null;
  const b = allocArray(dtype, GH) as Floats;
  b.set(bih.subarray((2 * GH) / 3, GH), (2 * GH) / 3);
  return b;
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
