// The fused pointwise steps of the Elman, LSTM and GRU cells on flat row-major float storage:
// gate rows of width G·H (gate order i, f, g, o for LSTM; r, z, n for GRU), state rows of width H.

import type { Floats } from "../dtype.js";

/** `σ(x) = 1 / (1 + e^{-x})`, one `exp` of a non-positive argument (no overflow). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Elman step over `bs` rows: `h = act(gi + gh + b_hh)` in place, act = tanh or (with `relu`) relu.
 * `gi` rows start at `giOff`; `gh` and `h` at 0.
 * @example rnnCell(false, 2, 8, gi, 0, gh, bhh, h)
 */
export function rnnCell(relu: boolean, bs: number, H: number, gi: Floats, giOff: number, gh: Floats, bhh: Floats, h: Floats): void {
  rnnPreActivation(bs, H, gi, giOff, gh, bhh, h);
  const n = bs * H;
  if (relu) for (let q = 0; q < n; q++) h[q] = h[q]! > 0 ? h[q]! : 0;
  else for (let q = 0; q < n; q++) h[q] = Math.tanh(h[q]!);
}

/**
 * `h = gi + gh + b_hh` over `bs` rows of H (an Elman step before its activation; rounded to the
 * storage type, as the per-op path rounds the sum before `tanh`).
 * @example rnnPreActivation(2, 8, gi, 0, gh, bhh, h)
 */
export function rnnPreActivation(bs: number, H: number, gi: Floats, giOff: number, gh: Floats, bhh: Floats, h: Floats): void {
  for (let b = 0; b < bs; b++) {
    const g = giOff + b * H;
    const o = b * H;
    for (let j = 0; j < H; j++) h[o + j] = gi[g + j]! + gh[o + j]! + bhh[j]!;
  }
}

/**
 * Elman backward step over `bs` rows: `dGates = dh · act'(a)` from the saved output h (`out`):
 * `1 − h²` for tanh, `h > 0 ? 1 : 0` for relu. `out` and `dGates` rows start at `off`; `dh` at 0.
 * @example rnnCellBackward(false, 2, 8, out, 0, dh, dGates)
 */
export function rnnCellBackward(relu: boolean, bs: number, H: number, out: Floats, off: number, dh: Floats, dGates: Floats): void {
  const n = bs * H;
  for (let q = 0; q < n; q++) {
    const v = out[off + q]!;
    dGates[off + q] = dh[q]! * (relu ? (v > 0 ? 1 : 0) : 1 - v * v);
  }
}

/**
 * LSTM step over `bs` rows: `i, f, o = σ(p)`, `g = tanh(p)` with `p = gi + gh + b_hh`,
 * `c = f·c + i·g` (in place), `tanhC = tanh(c)`, `h = o·tanhC`; the activations go to `acts`.
 * `gi` rows start at `giOff`, `acts` at `actsOff`, `tanhC` at `tanhCOff`; `gh`, `c`, `h` at 0.
 * @example lstmCell(2, 8, gi, 0, gh, bhh, c, acts, 0, tanhC, 0, h)
 */
export function lstmCell(
  bs: number, H: number, gi: Floats, giOff: number, gh: Floats, bhh: Floats,
  c: Floats, acts: Floats, actsOff: number, tanhC: Floats, tanhCOff: number, h: Floats,
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
  bs: number, H: number, gi: Floats, giOff: number, gh: Floats, bhh: Floats,
  h: Floats, acts: Floats, actsOff: number, ghN: Floats, ghNOff: number,
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

/**
 * LSTM backward step over `bs` rows from the saved activations (`acts` rows of 4H from
 * `actsOff`, gates i, f, g, o), the previous c and tanh(c) (`cPrev`, `tanhC` rows of H from
 * `cOff`), `dh` (rows of width `ldh`) and the running `dc` (rows of H), both at 0:
 * `dc' = dc + dh·o·(1 − tanhC²)`; gate pre-activation gradients into `dGates` (rows of 4H from
 * `actsOff`) `di = dc'·g·i(1 − i)`, `df = dc'·c_prev·f(1 − f)`, `dg = dc'·i·(1 − g²)`,
 * `do = dh·tanhC·o(1 − o)`; then `dc = dc'·f` in place (the previous step's).
 * @example lstmCellBackward(2, 8, acts, 0, cPrev, tanhC, 0, dh, 8, dc, dGates)
 */
export function lstmCellBackward(
  bs: number, H: number, acts: Floats, actsOff: number, cPrev: Floats, tanhC: Floats, cOff: number,
  dh: Floats, ldh: number, dc: Floats, dGates: Floats,
): void {
  const GH = 4 * H;
  for (let b = 0; b < bs; b++) {
    const g0 = actsOff + b * GH;
    const c0 = cOff + b * H;
    const cb = b * H;
    const hb = b * ldh;
    for (let j = 0; j < H; j++) {
      const i = acts[g0 + j]!;
      const f = acts[g0 + H + j]!;
      const g = acts[g0 + 2 * H + j]!;
      const o = acts[g0 + 3 * H + j]!;
      const tc = tanhC[c0 + j]!;
      const dhv = dh[hb + j]!;
      const dct = dc[cb + j]! + dhv * o * (1 - tc * tc);
      dc[cb + j] = dct * f;
      dGates[g0 + j] = dct * g * i * (1 - i);
      dGates[g0 + H + j] = dct * cPrev[c0 + j]! * f * (1 - f);
      dGates[g0 + 2 * H + j] = dct * i * (1 - g * g);
      dGates[g0 + 3 * H + j] = dhv * tc * o * (1 - o);
    }
  }
}

/**
 * GRU backward step over `bs` rows from the saved activations (`acts` rows of 3H from
 * `actsOff`, gates r, z, n), `ghN = W_hn h + b_hn` and the previous h (`ghN`, `hPrev` rows of H
 * from `sOff`) and `dh` (rows of H at 0): `dn = dh·(1 − z)·(1 − n²)`, `dz = dh·(h_prev − n)·z(1 − z)`,
 * `dr = dn·ghN·r(1 − r)` into `dGi` (rows of 3H from `actsOff`) and the same into `dGh` but
 * `dGh_n = dn·r`; then `dh = dh·z` in place (the direct path to the previous h).
 * @example gruCellBackward(2, 8, acts, 0, ghN, hPrev, 0, dh, dGi, dGh)
 */
export function gruCellBackward(
  bs: number, H: number, acts: Floats, actsOff: number, ghN: Floats, hPrev: Floats, sOff: number,
  dh: Floats, dGi: Floats, dGh: Floats,
): void {
  const GH = 3 * H;
  for (let b = 0; b < bs; b++) {
    const g0 = actsOff + b * GH;
    const n0 = sOff + b * H;
    const hb = b * H;
    for (let j = 0; j < H; j++) {
      const r = acts[g0 + j]!;
      const z = acts[g0 + H + j]!;
      const n = acts[g0 + 2 * H + j]!;
      const hp = hPrev[n0 + j]!;
      const dhv = dh[hb + j]!;
      const dan = dhv * (1 - z) * (1 - n * n);
      const daz = dhv * (hp - n) * z * (1 - z);
      const dar = dan * ghN[n0 + j]! * r * (1 - r);
      dGi[g0 + j] = dar;
      dGi[g0 + H + j] = daz;
      dGi[g0 + 2 * H + j] = dan;
      dGh[g0 + j] = dar;
      dGh[g0 + H + j] = daz;
      dGh[g0 + 2 * H + j] = dan * r;
      dh[hb + j] = dhv * z;
    }
  }
}
