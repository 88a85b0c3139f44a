import type { Floats } from "../dtype.js";

/**
 * `db[j] = Σ_q d[q·W + j]` over `rows` rows of width `W` (a bias gradient), in float64 (eight rows
 * added, in order, before each add into the running sum), rounded once into `db`.
 * @example columnSums(new Float32Array([1, 2, 3, 4]), 2, 2, db) // db = [4, 6]
 */
export function columnSums(d: Floats, rows: number, W: number, db: Floats): void {
  const acc = new Float64Array(W);
  let q = 0;
  // Eight rows per pass: an eighth of the accumulator traffic.
  for (; q + 8 <= rows; q += 8) {
    const o = q * W;
    for (let j = 0; j < W; j++) {
      const p = o + j;
      acc[j]! += d[p]! + d[p + W]! + d[p + 2 * W]! + d[p + 3 * W]! + d[p + 4 * W]! + d[p + 5 * W]! + d[p + 6 * W]! + d[p + 7 * W]!;
    }
  }
  for (; q < rows; q++) {
    const o = q * W;
    for (let j = 0; j < W; j++) acc[j]! += d[o + j]!;
  }
  db.set(acc);
}
