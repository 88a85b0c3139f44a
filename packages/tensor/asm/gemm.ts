// Single-precision GEMM, C = alpha * op(A) · op(B) + beta * C, row-major, in the BLIS layout:
// blocks of B (KC × NC) and A (MC × KC) are packed into MR-row / NR-column panels so the
// micro-kernel streams both operands with unit stride while an MR × NR tile of C stays in
// registers. Each A value of a full panel is packed as four copies (an f32x4 the kernel loads as
// it is: V8 folds a plain load's offset into the address but not a splat-load's, and the three
// address computations saved per step make products ~6 % faster). A last panel of fewer than MR
// rows is packed unpadded (stride mr, one copy) and runs on the narrow kernels of skinny.ts. All pointers are byte addresses into linear memory that the host laid out.

import { madd } from "./madd";
import { skinnyRows } from "./skinny";

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 48;
const NC: i32 = 512;
/** Copies of each A value in a full panel: the micro-kernel loads it as a ready f32x4 (one plain load with a folded offset, no splat). */
const SPLAT: i32 = 4;

/** Floats per k-column of A packed for m rows: SPLAT copies for rows in full panels, one for the last mr < MR. */
@inline function packedRows(m: i32): i32 {
  const full = m - m % MR;
  return full * SPLAT + (m - full);
}

/** Bytes of packing workspace `gemm` needs at `work`. */
export function gemmWorkBytes(): i32 {
  return (MC * KC * SPLAT + KC * NC + MR * NR) * 4;
}

/**
 * Packs rows `i0..i0+mc` × cols `p0..p0+kc` of op(A) into MR-row panels (element (r, p) of a
 * panel at p·MR + r); a last panel of mr < MR rows is packed unpadded, at p·mr + r.
 */
function packA(trans: bool, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const panel = dst + <usize>(ir * kc * SPLAT) * 4;
    if (trans) {
      // op(A)[i, p] = a[p * lda + i]: each p gives MR contiguous values.
      for (let p = 0; p < kc; p++) {
        const src = a + <usize>((p0 + p) * lda + i0 + ir) * 4;
        if (mr == MR) {
          storeSplats(panel + <usize>(p * MR * SPLAT) * 4, v128.load(src));
        } else {
          const out = panel + <usize>(p * mr) * 4;
          for (let r = 0; r < mr; r++) store<f32>(out + <usize>r * 4, load<f32>(src + <usize>r * 4));
        }
      }
    } else if (mr == MR) {
      // Four rows at a time: 4 × 4 blocks transposed in registers, stored as four p-columns.
      const r0 = a + <usize>((i0 + ir) * lda + p0) * 4;
      const rs = <usize>lda * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const q = <usize>p * 4;
        const x0 = v128.load(r0 + q);
        const x1 = v128.load(r0 + rs + q);
        const x2 = v128.load(r0 + 2 * rs + q);
        const x3 = v128.load(r0 + 3 * rs + q);
        const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
        const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const out = panel + <usize>(p * MR * SPLAT) * 4;
        storeSplats(out, i64x2.shuffle(t0, t1, 0, 2));
        storeSplats(out + 64, i64x2.shuffle(t0, t1, 1, 3));
        storeSplats(out + 128, i64x2.shuffle(t2, t3, 0, 2));
        storeSplats(out + 192, i64x2.shuffle(t2, t3, 1, 3));
      }
      for (; p < kc; p++) {
        const out = panel + <usize>(p * MR * SPLAT) * 4;
        for (let r = 0; r < MR; r++) v128.store(out + <usize>r * 16, f32x4.splat(load<f32>(r0 + <usize>r * rs + <usize>p * 4)));
      }
    } else if (mr == 1) {
      memory.copy(panel, a + <usize>((i0 + ir) * lda + p0) * 4, <usize>kc * 4);
    } else {
      for (let r = 0; r < mr; r++) {
        const out = panel + <usize>r * 4;
        const src = a + <usize>((i0 + ir + r) * lda + p0) * 4;
        for (let p = 0; p < kc; p++) store<f32>(out + <usize>(p * mr) * 4, load<f32>(src + <usize>p * 4));
      }
    }
  }
}

/** Stores the four lanes of `v` at `out` as four f32x4 splats (one full-panel A column). */
@inline function storeSplats(out: usize, v: v128): void {
  v128.store(out, i32x4.shuffle(v, v, 0, 0, 0, 0));
  v128.store(out, i32x4.shuffle(v, v, 1, 1, 1, 1), 16);
  v128.store(out, i32x4.shuffle(v, v, 2, 2, 2, 2), 32);
  v128.store(out, i32x4.shuffle(v, v, 3, 3, 3, 3), 48);
}

/** Packs rows `p0..p0+kc` × cols `j0..j0+nc` of op(B) into NR-column panels, zero-padding the last. */
function packB(trans: bool, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const panel = dst + <usize>(jr * kc) * 4;
    if (!trans) {
      // op(B)[p, j] = b[p * ldb + j]: each p gives NR contiguous values.
      for (let p = 0; p < kc; p++) {
        const src = b + <usize>((p0 + p) * ldb + j0 + jr) * 4;
        const out = panel + <usize>(p * NR) * 4;
        if (nr == NR) {
          v128.store(out, v128.load(src));
          v128.store(out, v128.load(src, 16), 16);
        } else {
          for (let c = 0; c < NR; c++) store<f32>(out + <usize>c * 4, c < nr ? load<f32>(src + <usize>c * 4) : 0);
        }
      }
    } else {
      for (let c = 0; c < NR; c++) {
        const out = panel + <usize>c * 4;
        if (c < nr) {
          const src = b + <usize>((j0 + jr + c) * ldb + p0) * 4;
          for (let p = 0; p < kc; p++) store<f32>(out + <usize>(p * NR) * 4, load<f32>(src + <usize>p * 4));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(out + <usize>(p * NR) * 4, 0);
        }
      }
    }
  }
}

/** C[0..MR, 0..nr] += alpha * Ap · Bp over kc steps; full tiles go straight to C, edges via `tmp`. */
function microKernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, alpha: f32, nr: i32, tmp: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  // The loop runs on B's address (no separate counter): one instruction fewer per step.
  const end = bp + <usize>kc * 32;
  while (bp < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load(ap);
    const a1 = v128.load(ap, 16);
    const a2 = v128.load(ap, 32);
    const a3 = v128.load(ap, 48);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    ap += 64;
    bp += 32;
  }
  const al = f32x4.splat(alpha);
  if (nr == NR) {
    const rs = <usize>ldc * 4;
    v128.store(c, f32x4.add(v128.load(c), f32x4.mul(al, c00)));
    v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(al, c01)), 16);
    c += rs;
    v128.store(c, f32x4.add(v128.load(c), f32x4.mul(al, c10)));
    v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(al, c11)), 16);
    c += rs;
    v128.store(c, f32x4.add(v128.load(c), f32x4.mul(al, c20)));
    v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(al, c21)), 16);
    c += rs;
    v128.store(c, f32x4.add(v128.load(c), f32x4.mul(al, c30)));
    v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(al, c31)), 16);
    return;
  }
  v128.store(tmp, f32x4.mul(al, c00));
  v128.store(tmp, f32x4.mul(al, c01), 16);
  v128.store(tmp, f32x4.mul(al, c10), 32);
  v128.store(tmp, f32x4.mul(al, c11), 48);
  v128.store(tmp, f32x4.mul(al, c20), 64);
  v128.store(tmp, f32x4.mul(al, c21), 80);
  v128.store(tmp, f32x4.mul(al, c30), 96);
  v128.store(tmp, f32x4.mul(al, c31), 112);
  for (let r = 0; r < MR; r++) {
    const row = c + <usize>(r * ldc) * 4;
    const t = tmp + <usize>(r * NR) * 4;
    for (let j = 0; j < nr; j++) {
      const q = row + <usize>j * 4;
      store<f32>(q, load<f32>(q) + load<f32>(t + <usize>j * 4));
    }
  }
}

/** Scales an m × n block of C (leading dim ldc) by beta; beta = 0 overwrites, so NaN in C is dropped. */
function scaleC(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  if (beta == 1) return;
  const bv = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + <usize>(i * ldc) * 4;
    let j = 0;
    if (beta == 0) {
      memory.fill(row, 0, <usize>n * 4);
      continue;
    }
    for (; j + 4 <= n; j += 4) {
      const q = row + <usize>j * 4;
      v128.store(q, f32x4.mul(v128.load(q), bv));
    }
    for (; j < n; j++) {
      const q = row + <usize>j * 4;
      store<f32>(q, load<f32>(q) * beta);
    }
  }
}

/** Floats `packGemmB` writes for a k × n op(B): its columns padded to a multiple of NR. */
export function packedBFloats(n: i32, k: i32): i32 {
  return k * ((n + NR - 1) / NR) * NR;
}

/**
 * Packs the whole k × n op(B) at `b` (leading dim `ldb`) into `dst` once, block (jc, pc) at float
 * offset `jc * k + pc * ncPadded`, laid out as `gemm` packs each block, so `gemmPacked` can run
 * many products against it with no repacking (the recurrent `h · W_hhᵀ` of every time step).
 */
export function packGemmB(transB: bool, n: i32, k: i32, b: usize, ldb: i32, dst: usize): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncp = (nc + NR - 1) / NR * NR;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(transB, b, ldb, pc, jc, kc, nc, dst + <usize>(jc * k + pc * ncp) * 4);
    }
  }
}

/**
 * The blocked loops of `gemm` over columns `j0..j1` of C (j0 a multiple of NR); B comes packed at
 * `bp` (whole, `packGemmB`) or is packed per block when bp is 0 (then j0 = 0, j1 = n), and A
 * comes packed at `ap` (whole, `packRowsA`) or is packed per block when ap is 0. Each element's
 * k-order depends on neither the column range nor who packed, so a split product is bit-identical.
 */
function gemmBlocked(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, ap: usize, b: usize, ldb: i32, bp: usize, beta: f32, c: usize, ldc: i32, work: usize,
  j0: i32, j1: i32,
): void {
  if (m <= 0 || j1 <= j0) return;
  scaleC(m, j1 - j0, beta, c + <usize>j0 * 4, ldc);
  if (k <= 0 || alpha == 0) return;
  const packedA = work;
  const packedB = work + <usize>(MC * KC * SPLAT) * 4;
  const tmp = packedB + <usize>(KC * NC) * 4;
  for (let jc = j0 - j0 % NC; jc < j1; jc += NC) {
    const nc = min(NC, n - jc);
    const ncp = (nc + NR - 1) / NR * NR;
    const jLo = max(j0 - jc, 0);
    const jHi = min(j1 - jc, nc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      let block = packedB;
      if (bp == 0) packB(transB, b, ldb, pc, jc, kc, nc, packedB);
      else block = bp + <usize>(jc * k + pc * ncp) * 4;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        let aBlock = packedA;
        if (ap == 0) packA(transA, a, lda, ic, pc, mc, kc, packedA);
        else aBlock = ap + <usize>(pc * packedRows(m) + ic * kc * SPLAT) * 4;
        const mFull = mc - mc % MR;
        for (let jr = jLo; jr < jHi; jr += NR) {
          const nr = min(NR, jHi - jr);
          const bpan = block + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mFull; ir += MR) {
            const cp = c + <usize>((ic + ir) * ldc + jc + jr) * 4;
            microKernel(kc, aBlock + <usize>(ir * kc * SPLAT) * 4, bpan, cp, ldc, alpha, nr, tmp);
          }
        }
        if (mFull < mc) {
          const cp = c + <usize>((ic + mFull) * ldc + jc) * 4;
          skinnyRows(mc - mFull, kc, aBlock + <usize>(mFull * kc * SPLAT) * 4, block, jLo, jHi, cp, ldc, alpha, tmp);
        }
      }
    }
  }
}

/**
 * `C = alpha * op(A) · op(B) + beta * C` for float32 row-major operands at byte addresses
 * `a`, `b`, `c` with leading dims in elements; `work` holds `gemmWorkBytes()` bytes.
 */
export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
): void {
  gemmBlocked(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, work, 0, n);
}

/**
 * `gemm` with op(B) already packed at `bp` (non-zero) by `packGemmB(_, n, k, …)`, for columns
 * `j0..j1` of C only (j0 a multiple of 8): threads share one packed operand by column ranges.
 */
export function gemmPacked(
  transA: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, bp: usize, beta: f32, c: usize, ldc: i32, work: usize, j0: i32, j1: i32,
): void {
  gemmBlocked(transA, false, m, n, k, alpha, a, lda, 0, 0, 0, bp, beta, c, ldc, work, j0, j1);
}

/** Floats `packRowsA` writes for an m × k A: SPLAT copies of each row in full panels, one of the last m % MR rows. */
export function packedAFloats(m: i32, k: i32): i32 {
  return k * packedRows(m);
}

/**
 * Packs the whole m × k row-major A at `a` (leading dim `lda`) into `dst` once, block pc (KC
 * columns) at float offset `pc * packedRows(m)`, as `gemm` packs each block: a product whose A is
 * shared by several column ranges (threads) packs it once instead of once per range.
 */
export function packRowsA(a: usize, lda: i32, m: i32, k: i32, dst: usize): void {
  const rows = packedRows(m);
  for (let pc = 0; pc < k; pc += KC) packA(false, a, lda, 0, pc, m, min(KC, k - pc), dst + <usize>(pc * rows) * 4);
}

/**
 * `C[:, j0..j1] = A · B` with A packed by `packRowsA` at `ap` and B by `packGemmB` at `bp` (j0 a
 * multiple of NR): the same sums as `gemm`, for products whose A several threads share.
 */
export function gemmPrepacked(m: i32, n: i32, k: i32, ap: usize, bp: usize, c: usize, ldc: i32, work: usize, j0: i32, j1: i32): void {
  gemmBlocked(false, false, m, n, k, 1, 0, 0, ap, 0, 0, bp, 0, c, ldc, work, j0, j1);
}
