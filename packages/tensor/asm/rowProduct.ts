// One-row products `c = a · Bᵀ` (a: 1 × k, B: n × k row-major) for batch-1 recurrent steps, on B
// packed once in 32-column panels that run the whole k (element (p, j) of panel q at
// q·32·k + p·32 + j): the kernel streams one contiguous run of memory with eight independent
// accumulators, where the GEMM's NR-panels make it interleave four streams 8 KB apart. Every
// output element still sums its products in ascending p from zero within each KC block of the
// GEMM and adds the blocks to C as `c + 1·acc` from C = 0, so the results equal `gemmPrepacked`'s
// (and `gemm`'s) bit for bit.

import { madd } from "./madd";

/** Columns per panel. */
const W: i32 = 32;
/** The GEMM's k-block (gemm.ts KC): the sums are split where the GEMM splits them. */
const KC: i32 = 256;

/** Floats `packRowB` writes for B (n × k): n rounded up to 32, times k. */
export function rowPackedFloats(n: i32, k: i32): i32 {
  return (n + W - 1) / W * W * k;
}

/** Packs B (n × k, row-major, leading dim `ldb`) at `b` into 32-column panels at `dst` (columns past n are zeros). */
export function packRowB(n: i32, k: i32, b: usize, ldb: i32, dst: usize): void {
  const np = (n + W - 1) / W * W;
  for (let q = 0; q < np; q += W) {
    const panel = dst + <usize>(q * k) * 4;
    for (let j = 0; j < W; j++) {
      const col = q + j;
      const out = panel + <usize>j * 4;
      if (col < n) {
        const src = b + <usize>(col * ldb) * 4;
        for (let p = 0; p < k; p++) store<f32>(out + <usize>(p * W) * 4, load<f32>(src + <usize>p * 4));
      } else {
        for (let p = 0; p < k; p++) store<f32>(out + <usize>(p * W) * 4, 0);
      }
    }
  }
}

/**
 * `t[0..32] = a[0..kc] · rows of one panel` (eight accumulators, ascending p from zero). It ends
 * in plain stores: with loads of C after the loop in the same function (or the loop inlined into
 * its caller), V8 ran the loop about twice as slow here, so adding to C is left to `addBlock`.
 */
function blockProduct(kc: i32, ap: usize, b: usize, t: usize): void {
  let x0 = f32x4.splat(0);
  let x1 = f32x4.splat(0);
  let x2 = f32x4.splat(0);
  let x3 = f32x4.splat(0);
  let x4 = f32x4.splat(0);
  let x5 = f32x4.splat(0);
  let x6 = f32x4.splat(0);
  let x7 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const s = v128.load32_splat(ap);
    x0 = madd(s, v128.load(b), x0);
    x1 = madd(s, v128.load(b, 16), x1);
    x2 = madd(s, v128.load(b, 32), x2);
    x3 = madd(s, v128.load(b, 48), x3);
    x4 = madd(s, v128.load(b, 64), x4);
    x5 = madd(s, v128.load(b, 80), x5);
    x6 = madd(s, v128.load(b, 96), x6);
    x7 = madd(s, v128.load(b, 112), x7);
    ap += 4;
    b += W * 4;
  }
  v128.store(t, x0);
  v128.store(t, x1, 16);
  v128.store(t, x2, 32);
  v128.store(t, x3, 48);
  v128.store(t, x4, 64);
  v128.store(t, x5, 80);
  v128.store(t, x6, 96);
  v128.store(t, x7, 112);
}

/** `dst[0..m] = (first ? 0 : dst) + 1·t`: the GEMM's `c + alpha·acc` with alpha 1, from C = 0. */
function addBlock(dst: usize, t: usize, m: i32, first: bool): void {
  const one = f32x4.splat(1);
  if (m == W) {
    for (let i: usize = 0; i < <usize>W * 4; i += 16) {
      v128.store(dst + i, f32x4.add(first ? f32x4.splat(0) : v128.load(dst + i), f32x4.mul(one, v128.load(t + i))));
    }
    return;
  }
  for (let j = 0; j < m; j++) {
    const q = dst + <usize>j * 4;
    store<f32>(q, (first ? <f32>0 : load<f32>(q)) + <f32>1 * load<f32>(t + <usize>j * 4));
  }
}

/**
 * `c[j0..j1] = a · Bᵀ` for one row a (k floats at `a`) and B (n × k) packed by `packRowB` at
 * `bp`; j0 a multiple of 32; `tmp` holds 32 floats of partial sums.
 */
export function rowProduct(n: i32, k: i32, a: usize, bp: usize, c: usize, tmp: usize, j0: i32, j1: i32): void {
  if (k <= 0) {
    memory.fill(c + <usize>j0 * 4, 0, <usize>(min(j1, n) - j0) * 4);
    return;
  }
  const end = min(j1, n);
  for (let q = j0; q < end; q += W) {
    const panel = bp + <usize>(q * k) * 4;
    const m = min(W, end - q);
    // The first block sets C, the others add to it (two call sites also keep `blockProduct` a
    // function of its own rather than inlined here).
    blockProduct(min(KC, k), a, panel, tmp);
    addBlock(c + <usize>q * 4, tmp, m, true);
    for (let pc = KC; pc < k; pc += KC) {
      blockProduct(min(KC, k - pc), a + <usize>pc * 4, panel + <usize>(pc * W) * 4, tmp);
      addBlock(c + <usize>q * 4, tmp, m, false);
    }
  }
}
