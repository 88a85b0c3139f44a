// The BPTT counterparts of the fused cells, over a (bs, G·H) block of saved activations, four
// hidden units per f32x4 lane group (H a multiple of 4), in f32 (the JS kernels round only their
// stores). `dh` is the gradient reaching this step's h from later steps; `dOut` (0: none) the
// gradient of this step's output rows, added to it first. Pointers are byte addresses.

import { onesv } from "./elementwise";

/**
 * LSTM: `dc' = dc + dh·o·(1 − tanhC²)`, then into `dG` (gates i, f, g, o)
 * `dc'·g·i(1 − i)`, `dc'·c_prev·f(1 − f)`, `dc'·i·(1 − g²)`, `dh·tanhC·o(1 − o)`; `dc = dc'·f` in place.
 */
export function lstmBackCell(
  bs: i32, H: i32, acts: usize, cPrev: usize, tanhC: usize, dh: usize, dOut: usize, dc: usize, dG: usize,
): void {
  const hb = <usize>H * 4;
  const one = onesv();
  for (let b = 0; b < bs; b++) {
    const gRow = <usize>(b * 4 * H) * 4;
    const sRow = <usize>(b * H) * 4;
    for (let j = 0; j < H; j += 4) {
      const o4 = <usize>j * 4;
      const gq = gRow + o4;
      const sq = sRow + o4;
      const i = v128.load(acts + gq);
      const f = v128.load(acts + gq + hb);
      const g = v128.load(acts + gq + 2 * hb);
      const o = v128.load(acts + gq + 3 * hb);
      const tc = v128.load(tanhC + sq);
      let dhv = v128.load(dh + sq);
      if (dOut != 0) dhv = f32x4.add(dhv, v128.load(dOut + sq));
      const dct = f32x4.add(v128.load(dc + sq), f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc))));
      v128.store(dc + sq, f32x4.mul(dct, f));
      v128.store(dG + gq, f32x4.mul(f32x4.mul(f32x4.mul(dct, g), i), f32x4.sub(one, i)));
      v128.store(dG + gq + hb, f32x4.mul(f32x4.mul(f32x4.mul(dct, v128.load(cPrev + sq)), f), f32x4.sub(one, f)));
      v128.store(dG + gq + 2 * hb, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))));
      v128.store(dG + gq + 3 * hb, f32x4.mul(f32x4.mul(f32x4.mul(dhv, tc), o), f32x4.sub(one, o)));
    }
  }
}

/**
 * GRU: `dn = dh·(1 − z)·(1 − n²)`, `dz = dh·(h_prev − n)·z(1 − z)`, `dr = dn·ghN·r(1 − r)` into
 * `dGi` (gates r, z, n) and `dGh` (the same but `dn·r` for n), and the direct path `dh·z` into `dz`.
 */
export function gruBackCell(
  bs: i32, H: i32, acts: usize, ghN: usize, hPrev: usize, dh: usize, dOut: usize, dGi: usize, dGh: usize, dz: usize,
): void {
  const hb = <usize>H * 4;
  const one = onesv();
  for (let b = 0; b < bs; b++) {
    const gRow = <usize>(b * 3 * H) * 4;
    const sRow = <usize>(b * H) * 4;
    for (let j = 0; j < H; j += 4) {
      const o4 = <usize>j * 4;
      const gq = gRow + o4;
      const sq = sRow + o4;
      const r = v128.load(acts + gq);
      const z = v128.load(acts + gq + hb);
      const n = v128.load(acts + gq + 2 * hb);
      let dhv = v128.load(dh + sq);
      if (dOut != 0) dhv = f32x4.add(dhv, v128.load(dOut + sq));
      const dan = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const daz = f32x4.mul(f32x4.mul(f32x4.mul(dhv, f32x4.sub(v128.load(hPrev + sq), n)), z), f32x4.sub(one, z));
      const dar = f32x4.mul(f32x4.mul(f32x4.mul(dan, v128.load(ghN + sq)), r), f32x4.sub(one, r));
      v128.store(dGi + gq, dar);
      v128.store(dGi + gq + hb, daz);
      v128.store(dGi + gq + 2 * hb, dan);
      v128.store(dGh + gq, dar);
      v128.store(dGh + gq + hb, daz);
      v128.store(dGh + gq + 2 * hb, f32x4.mul(dan, r));
      v128.store(dz + sq, f32x4.mul(dhv, z));
    }
  }
}
