// One whole time step of a gated recurrent layer for a range of hidden units: the units' columns
// of `gh = h · W_hhᵀ` in every gate (W_hh packed once by `packGemmB`, h packed once per step by
// `packRowsA`), then the fused cell on them. Threads split a step by hidden units, each writing
// only its units of the new state, so the step reads h at `hIn` and writes it at `hOut`
// (another buffer): no thread waits for another between the product and the cell.

import { gemmPrepacked } from "./gemm";
import { gruUnits, lstmUnits } from "./gates";

/** `gh[:, g·H + j0 .. g·H + j1] = h · W_hhᵀ` for each of G gates, h packed at `ap` (j0, j1, H multiples of 8 unless j0..j1 is 0..H). */
function gateColumns(G: i32, bs: i32, H: i32, j0: i32, j1: i32, ap: usize, bp: usize, gh: usize, work: usize): void {
  const GH = G * H;
  if (j0 == 0 && j1 == H) {
    gemmPrepacked(bs, GH, H, ap, bp, gh, GH, work, 0, GH);
    return;
  }
  for (let g = 0; g < G; g++) gemmPrepacked(bs, GH, H, ap, bp, gh, GH, work, g * H + j0, g * H + j1);
}

/** GRU step for units `j0..j1` of `bs` rows: gh from `hIn` (packed at `ap`), then `gruCell` writing h at `hOut`. */
export function gruStep(
  bs: i32, H: i32, j0: i32, j1: i32, hIn: usize, ap: usize, bp: usize, gi: usize, gh: usize, bhh: usize,
  hOut: usize, acts: usize, ghN: usize, work: usize,
): void {
  gateColumns(3, bs, H, j0, j1, ap, bp, gh, work);
  gruUnits(bs, H, j0, j1, gi, gh, bhh, hIn, hOut, acts, ghN);
}

/** LSTM step for units `j0..j1` of `bs` rows: gh from h (packed at `ap`), then `lstmCell` (c in place) writing h at `hOut`. */
export function lstmStep(
  bs: i32, H: i32, j0: i32, j1: i32, ap: usize, bp: usize, gi: usize, gh: usize, bhh: usize,
  c: usize, hOut: usize, acts: usize, tanhC: usize, work: usize,
): void {
  gateColumns(4, bs, H, j0, j1, ap, bp, gh, work);
  lstmUnits(bs, H, j0, j1, gi, gh, bhh, c, acts, tanhC, hOut);
}
