// Fused pointwise steps of the recurrent cells over a (bs, G·H) block of gate pre-activations,
// four hidden units per f32x4 lane group (H a multiple of 4). Pointers are byte addresses of
// row-major float32 blocks: gate rows of width G·H, state rows of width H.

import { sigmoidv, tanhv } from "./elementwise";

/**
 * LSTM: `i, f, o = σ(gi + gh + b)`, `g = tanh(gi + gh + b)` (gate order i, f, g, o),
 * `c = f·c + i·g` in place, `tanhC = tanh(c)`, `h = o·tanhC`; the activations go to `acts`.
 */
export function lstmCell(bs: i32, H: i32, gi: usize, gh: usize, bhh: usize, c: usize, acts: usize, tanhC: usize, h: usize): void {
  lstmUnits(bs, H, 0, H, gi, gh, bhh, c, acts, tanhC, h);
}

/** `lstmCell` for hidden units `j0..j1` only (multiples of 4): threads split a step by units. */
@inline export function lstmUnits(
  bs: i32, H: i32, j0: i32, j1: i32, gi: usize, gh: usize, bhh: usize, c: usize, acts: usize, tanhC: usize, h: usize,
): void {
  const hb = <usize>H * 4;
  for (let b = 0; b < bs; b++) {
    const gRow = <usize>(b * 4 * H) * 4;
    const sRow = <usize>(b * H) * 4;
    for (let j = j0; j < j1; j += 4) {
      const o = <usize>j * 4;
      const gq = gRow + o;
      const pi = f32x4.add(f32x4.add(v128.load(gi + gq), v128.load(gh + gq)), v128.load(bhh + o));
      const pf = f32x4.add(f32x4.add(v128.load(gi + gq + hb), v128.load(gh + gq + hb)), v128.load(bhh + o + hb));
      const pg = f32x4.add(f32x4.add(v128.load(gi + gq + 2 * hb), v128.load(gh + gq + 2 * hb)), v128.load(bhh + o + 2 * hb));
      const po = f32x4.add(f32x4.add(v128.load(gi + gq + 3 * hb), v128.load(gh + gq + 3 * hb)), v128.load(bhh + o + 3 * hb));
      const ig = sigmoidv(pi);
      const fg = sigmoidv(pf);
      const gg = tanhv(pg);
      const og = sigmoidv(po);
      v128.store(acts + gq, ig);
      v128.store(acts + gq + hb, fg);
      v128.store(acts + gq + 2 * hb, gg);
      v128.store(acts + gq + 3 * hb, og);
      const sq = sRow + o;
      const cn = f32x4.add(f32x4.mul(fg, v128.load(c + sq)), f32x4.mul(ig, gg));
      v128.store(c + sq, cn);
      const tc = tanhv(cn);
      v128.store(tanhC + sq, tc);
      v128.store(h + sq, f32x4.mul(og, tc));
    }
  }
}

/**
 * GRU: `r, z = σ(gi + gh + b)`, `ghN = gh_n + b_n`, `n = tanh(gi_n + r·ghN)`, `h = n + z·(h − n)`
 * in place (gate order r, z, n); the activations go to `acts`.
 */
export function gruCell(bs: i32, H: i32, gi: usize, gh: usize, bhh: usize, h: usize, acts: usize, ghN: usize): void {
  gruUnits(bs, H, 0, H, gi, gh, bhh, h, h, acts, ghN);
}

/** `gruCell` for hidden units `j0..j1` only (multiples of 4), reading h at `hIn`, writing it at `hOut`. */
@inline export function gruUnits(
  bs: i32, H: i32, j0: i32, j1: i32, gi: usize, gh: usize, bhh: usize, hIn: usize, hOut: usize, acts: usize, ghN: usize,
): void {
  const hb = <usize>H * 4;
  for (let b = 0; b < bs; b++) {
    const gRow = <usize>(b * 3 * H) * 4;
    const sRow = <usize>(b * H) * 4;
    for (let j = j0; j < j1; j += 4) {
      const o = <usize>j * 4;
      const gq = gRow + o;
      const sq = sRow + o;
      const r = sigmoidv(f32x4.add(f32x4.add(v128.load(gi + gq), v128.load(gh + gq)), v128.load(bhh + o)));
      const z = sigmoidv(f32x4.add(f32x4.add(v128.load(gi + gq + hb), v128.load(gh + gq + hb)), v128.load(bhh + o + hb)));
      const hn = f32x4.add(v128.load(gh + gq + 2 * hb), v128.load(bhh + o + 2 * hb));
      v128.store(ghN + sq, hn);
      const n = tanhv(f32x4.add(v128.load(gi + gq + 2 * hb), f32x4.mul(r, hn)));
      v128.store(acts + gq, r);
      v128.store(acts + gq + hb, z);
      v128.store(acts + gq + 2 * hb, n);
      v128.store(hOut + sq, f32x4.add(n, f32x4.mul(z, f32x4.sub(v128.load(hIn + sq), n))));
    }
  }
}
