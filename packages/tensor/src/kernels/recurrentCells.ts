// The fused pointwise steps of the LSTM and GRU cells on flat row-major float storage: gate
// rows of width G·H (gate order i, f, g, o for LSTM; r, z, n for GRU), state rows of width H.

type FloatArray = Float32Array | Float64Array;

/** `σ(x) = 1 / (1 + e^{-x})`, one `exp` of a non-positive argument (no overflow). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * LSTM step over `bs` rows: `i, f, o = σ(p)`, `g = tanh(p)` with `p = gi + gh + b_hh`,
 * `c = f·c + i·g` (in place), `tanhC = tanh(c)`, `h = o·tanhC`; the activations go to `acts`.
 * `gi` rows start at `giOff`, `acts` at `actsOff`, `tanhC` at `tanhCOff`; `gh`, `c`, `h` at 0.
 * @example lstmCell(2, 8, gi, 0, gh, bhh, c, acts, 0, tanhC, 0, h)
 */
export function lstmCell(
  bs: number, H: number, gi: FloatArray, giOff: number, gh: FloatArray, bhh: FloatArray,
  c: FloatArray, acts: FloatArray, actsOff: number, tanhC: FloatArray, tanhCOff: number, h: FloatArray,
): void {
  const GH = 4 * H;
  for (let b = 0; b < bs; b++) {
    const gr = giOff + b * GH;
    const hr = b * GH;
    const ar = actsOff + b * GH;
    const sr = b * H;
    const tr = tanhCOff + b * H;
    for (let j = 0; j < H; j++) {
      const i = sigmoid(gi[gr + j]! + gh[hr + j]! + bhh[j]!);
      const f = sigmoid(gi[gr + H + j]! + gh[hr + H + j]! + bhh[H + j]!);
      const g = Math.tanh(gi[gr + 2 * H + j]! + gh[hr + 2 * H + j]! + bhh[2 * H + j]!);
      const o = sigmoid(gi[gr + 3 * H + j]! + gh[hr + 3 * H + j]! + bhh[3 * H + j]!);
      acts[ar + j] = i;
      acts[ar + H + j] = f;
      acts[ar + 2 * H + j] = g;
      acts[ar + 3 * H + j] = o;
      c[sr + j] = f * c[sr + j]! + i * g;
      // tanh of c as stored (rounded to the storage type), as the per-op path computes it.
      const tc = Math.tanh(c[sr + j]!);
      tanhC[tr + j] = tc;
      h[sr + j] = o * tanhC[tr + j]!;
    }
  }
}

/**
 * GRU step over `bs` rows: `r, z = σ(gi + gh + b_hh)`, `ghN = gh_n + b_hn`,
 * `n = tanh(gi_n + r·ghN)`, `h = n + z·(h − n)` (in place); the activations go to `acts`.
 * `gi` rows start at `giOff`, `acts` at `actsOff`, `ghN` at `ghNOff`; `gh` and `h` at 0.
 * @example gruCell(2, 8, gi, 0, gh, bhh, h, acts, 0, ghN, 0)
 */
export function gruCell(
  bs: number, H: number, gi: FloatArray, giOff: number, gh: FloatArray, bhh: FloatArray,
  h: FloatArray, acts: FloatArray, actsOff: number, ghN: FloatArray, ghNOff: number,
): void {
  const GH = 3 * H;
  for (let b = 0; b < bs; b++) {
    const gr = giOff + b * GH;
    const hr = b * GH;
    const ar = actsOff + b * GH;
    const sr = b * H;
    const nr = ghNOff + b * H;
    for (let j = 0; j < H; j++) {
      const r = sigmoid(gi[gr + j]! + gh[hr + j]! + bhh[j]!);
      const z = sigmoid(gi[gr + H + j]! + gh[hr + H + j]! + bhh[H + j]!);
      ghN[nr + j] = gh[hr + 2 * H + j]! + bhh[2 * H + j]!;
      const n = Math.tanh(gi[gr + 2 * H + j]! + r * ghN[nr + j]!);
      acts[ar + j] = r;
      acts[ar + H + j] = z;
      acts[ar + 2 * H + j] = n;
      h[sr + j] = n + z * (h[sr + j]! - n);
    }
  }
}
