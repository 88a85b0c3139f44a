// GEMM micro-kernels for the last 1–3 rows of a product (all of it when m < 4: a batch-1
// recurrent step's `h · W_hhᵀ`). The 4-row tile would pad such rows with zeros and spend up to
// 3/4 of its multiply-adds on them, so these read A unpadded (a panel of mr rows packed with
// stride mr) and instead stream several NR-panels of B at once, which gives each kernel 6–8
// independent accumulators to hide the add latency (three rows keep to one panel: twelve
// accumulators spill registers). Every output element still sums its
// products in ascending p from zero and is added to C as `c + alpha·acc`, exactly as in the
// 4-row tile, so results are bit-identical whichever kernel computes a row.

import { madd } from "./madd";

const NR: i32 = 8;

/** `c[0..8] += alpha · (x0 | x1)`: one row of a full tile. */
@inline function addRow(c: usize, al: v128, x0: v128, x1: v128): void {
  v128.store(c, f32x4.add(v128.load(c), f32x4.mul(al, x0)));
  v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(al, x1)), 16);
}

/** One row against four full panels (32 columns of C at `c`); `ps` is the panel stride in bytes. */
function row1x4(kc: i32, ap: usize, bp: usize, ps: usize, c: usize, alpha: f32): void {
  let x0 = f32x4.splat(0);
  let x1 = f32x4.splat(0);
  let x2 = f32x4.splat(0);
  let x3 = f32x4.splat(0);
  let x4 = f32x4.splat(0);
  let x5 = f32x4.splat(0);
  let x6 = f32x4.splat(0);
  let x7 = f32x4.splat(0);
  let b0 = bp;
  let b1 = bp + ps;
  let b2 = b1 + ps;
  let b3 = b2 + ps;
  let p = 0;
  // Two steps per iteration (each accumulator still takes them in order): half the pointer updates.
  for (; p + 2 <= kc; p += 2) {
    const a = v128.load32_splat(ap);
    x0 = madd(a, v128.load(b0), x0);
    x1 = madd(a, v128.load(b0, 16), x1);
    x2 = madd(a, v128.load(b1), x2);
    x3 = madd(a, v128.load(b1, 16), x3);
    x4 = madd(a, v128.load(b2), x4);
    x5 = madd(a, v128.load(b2, 16), x5);
    x6 = madd(a, v128.load(b3), x6);
    x7 = madd(a, v128.load(b3, 16), x7);
    const e = v128.load32_splat(ap, 4);
    x0 = madd(e, v128.load(b0, 32), x0);
    x1 = madd(e, v128.load(b0, 48), x1);
    x2 = madd(e, v128.load(b1, 32), x2);
    x3 = madd(e, v128.load(b1, 48), x3);
    x4 = madd(e, v128.load(b2, 32), x4);
    x5 = madd(e, v128.load(b2, 48), x5);
    x6 = madd(e, v128.load(b3, 32), x6);
    x7 = madd(e, v128.load(b3, 48), x7);
    ap += 8;
    b0 += 64;
    b1 += 64;
    b2 += 64;
    b3 += 64;
  }
  if (p < kc) {
    const a = v128.load32_splat(ap);
    x0 = madd(a, v128.load(b0), x0);
    x1 = madd(a, v128.load(b0, 16), x1);
    x2 = madd(a, v128.load(b1), x2);
    x3 = madd(a, v128.load(b1, 16), x3);
    x4 = madd(a, v128.load(b2), x4);
    x5 = madd(a, v128.load(b2, 16), x5);
    x6 = madd(a, v128.load(b3), x6);
    x7 = madd(a, v128.load(b3, 16), x7);
  }
  const al = f32x4.splat(alpha);
  addRow(c, al, x0, x1);
  addRow(c + 32, al, x2, x3);
  addRow(c + 64, al, x4, x5);
  addRow(c + 96, al, x6, x7);
}

/** Two rows against two full panels (16 columns of C at `c`, rows `rs` bytes apart). */
function rows2x2(kc: i32, ap: usize, bp: usize, ps: usize, c: usize, rs: usize, alpha: f32): void {
  let x0 = f32x4.splat(0);
  let x1 = f32x4.splat(0);
  let x2 = f32x4.splat(0);
  let x3 = f32x4.splat(0);
  let y0 = f32x4.splat(0);
  let y1 = f32x4.splat(0);
  let y2 = f32x4.splat(0);
  let y3 = f32x4.splat(0);
  let b0 = bp;
  let b1 = bp + ps;
  const end = bp + <usize>kc * 32;
  while (b0 < end) {
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const u0 = v128.load(b0);
    const u1 = v128.load(b0, 16);
    const v0 = v128.load(b1);
    const v1 = v128.load(b1, 16);
    x0 = madd(a0, u0, x0);
    x1 = madd(a0, u1, x1);
    x2 = madd(a0, v0, x2);
    x3 = madd(a0, v1, x3);
    y0 = madd(a1, u0, y0);
    y1 = madd(a1, u1, y1);
    y2 = madd(a1, v0, y2);
    y3 = madd(a1, v1, y3);
    ap += 8;
    b0 += 32;
    b1 += 32;
  }
  const al = f32x4.splat(alpha);
  addRow(c, al, x0, x1);
  addRow(c + 32, al, x2, x3);
  addRow(c + rs, al, y0, y1);
  addRow(c + rs + 32, al, y2, y3);
}

/** `mr` (1–3) rows against one panel of `nr` (1–8) columns: the tail the wider kernels leave; edges via `tmp`. */
function rowsPanel(mr: i32, kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, alpha: f32, nr: i32, tmp: usize): void {
  let x0 = f32x4.splat(0);
  let x1 = f32x4.splat(0);
  let y0 = f32x4.splat(0);
  let y1 = f32x4.splat(0);
  let z0 = f32x4.splat(0);
  let z1 = f32x4.splat(0);
  // The loops run on B's address (no separate counter): one instruction fewer per step.
  const end = bp + <usize>kc * 32;
  if (mr == 1) {
    while (bp < end) {
      const a0 = v128.load32_splat(ap);
      x0 = madd(a0, v128.load(bp), x0);
      x1 = madd(a0, v128.load(bp, 16), x1);
      ap += 4;
      bp += 32;
    }
  } else if (mr == 2) {
    while (bp < end) {
      const u0 = v128.load(bp);
      const u1 = v128.load(bp, 16);
      const a0 = v128.load32_splat(ap);
      const a1 = v128.load32_splat(ap, 4);
      x0 = madd(a0, u0, x0);
      x1 = madd(a0, u1, x1);
      y0 = madd(a1, u0, y0);
      y1 = madd(a1, u1, y1);
      ap += 8;
      bp += 32;
    }
  } else {
    while (bp < end) {
      const u0 = v128.load(bp);
      const u1 = v128.load(bp, 16);
      const a0 = v128.load32_splat(ap);
      const a1 = v128.load32_splat(ap, 4);
      const a2 = v128.load32_splat(ap, 8);
      x0 = madd(a0, u0, x0);
      x1 = madd(a0, u1, x1);
      y0 = madd(a1, u0, y0);
      y1 = madd(a1, u1, y1);
      z0 = madd(a2, u0, z0);
      z1 = madd(a2, u1, z1);
      ap += 12;
      bp += 32;
    }
  }
  const al = f32x4.splat(alpha);
  const rs = <usize>ldc * 4;
  if (nr == NR) {
    addRow(c, al, x0, x1);
    if (mr > 1) addRow(c + rs, al, y0, y1);
    if (mr > 2) addRow(c + 2 * rs, al, z0, z1);
    return;
  }
  v128.store(tmp, f32x4.mul(al, x0));
  v128.store(tmp, f32x4.mul(al, x1), 16);
  v128.store(tmp, f32x4.mul(al, y0), 32);
  v128.store(tmp, f32x4.mul(al, y1), 48);
  v128.store(tmp, f32x4.mul(al, z0), 64);
  v128.store(tmp, f32x4.mul(al, z1), 80);
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * rs;
    const t = tmp + <usize>(r * NR) * 4;
    for (let j = 0; j < nr; j++) {
      const q = row + <usize>j * 4;
      store<f32>(q, load<f32>(q) + load<f32>(t + <usize>j * 4));
    }
  }
}

/**
 * `C[0..mr, jLo..jHi] += alpha · Ap · B` for a panel of `mr` (1–3) rows packed with stride mr at
 * `ap` and a packed block of B at `block` (NR-panels of kc rows; jLo a multiple of NR), C at `c`
 * for column 0 of the block: the widest kernel over the full panels, then one panel at a time.
 * A 1 × 512 · 512 × 2048 product takes ~95 µs here against ~230 µs on the 4-row tile.
 */
export function skinnyRows(mr: i32, kc: i32, ap: usize, block: usize, jLo: i32, jHi: i32, c: usize, ldc: i32, alpha: f32, tmp: usize): void {
  const ps = <usize>kc * NR * 4;
  const rs = <usize>ldc * 4;
  const full = jLo + (jHi - jLo) / NR * NR;
  let jr = jLo;
  if (mr == 1) {
    for (; jr + 4 * NR <= full; jr += 4 * NR) row1x4(kc, ap, block + <usize>(jr * kc) * 4, ps, c + <usize>jr * 4, alpha);
  } else if (mr == 2) {
    for (; jr + 2 * NR <= full; jr += 2 * NR) rows2x2(kc, ap, block + <usize>(jr * kc) * 4, ps, c + <usize>jr * 4, rs, alpha);
  }
  for (; jr < jHi; jr += NR) rowsPanel(mr, kc, ap, block + <usize>(jr * kc) * 4, c + <usize>jr * 4, ldc, alpha, min(NR, jHi - jr), tmp);
}
