import { promoteTypes, type Floats } from "../dtype.js";
import { NDArray } from "../ndarray.js";
import { broadcastShapes, fmt, numel } from "../shape.js";
import { JS_DIRECT_GEMM_MAX_MACS } from "../thresholds.js";


/** The signature of `gemm`, so `matmul` can run on another backend's GEMM. */
export type GemmFn = typeof gemm;

/** Bytes of packed B a k-block aims for: small enough to stay in L2 while every row quad streams it. */
const PACK_BYTES = 128 * 1024;

/**
 * `C = alpha * op(A) · op(B) + beta * C`, row-major, op(X) = Xᵀ when trans is set.
 * Cache-blocked: op(B) is packed a k-block at a time into a unit-stride panel that fits in L2,
 * then four rows of C are updated per pass over the panel (each B value loaded once per four
 * rows). Sums accumulate in float64 and are rounded once into C.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Floats, aOff: number, lda: number,
  b: Floats, bOff: number, ldb: number,
  beta: number, c: Floats, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = 0;
    else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j]! *= beta;
  }
  if (alpha === 0 || k === 0 || m === 0 || n === 0) return;
  if (m * n * k <= JS_DIRECT_GEMM_MAX_MACS) {
    gemmDirect(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    return;
  }
  if (m < 4) {
    gemmFewRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    return;
  }
  const acc = new Float64Array(m * n);
  const kb = Math.max(8, Math.min(256, Math.floor(PACK_BYTES / (8 * n))));
  const panel = new Float64Array(Math.min(kb, k) * n);
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  for (let p0 = 0; p0 < k; p0 += kb) {
    const kc = Math.min(kb, k - p0);
    for (let p = 0; p < kc; p++) {
      const dst = p * n;
      if (transB) {
        for (let j = 0, src = bOff + p0 + p; j < n; j++, src += ldb) panel[dst + j] = b[src]!;
      } else {
        const src = bOff + (p0 + p) * ldb;
        for (let j = 0; j < n; j++) panel[dst + j] = b[src + j]!;
      }
    }
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      for (let p = 0; p < kc; p++) {
        const o = aOff + i * ai + (p0 + p) * ap;
        const a0 = a[o]!;
        const a1 = a[o + ai]!;
        const a2 = a[o + 2 * ai]!;
        const a3 = a[o + 3 * ai]!;
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const bv = panel[bp + j]!;
          acc[r0 + j]! += a0 * bv;
          acc[r1 + j]! += a1 * bv;
          acc[r2 + j]! += a2 * bv;
          acc[r3 + j]! += a3 * bv;
        }
      }
    }
    for (; i < m; i++) {
      const r = i * n;
      for (let p = 0; p < kc; p++) {
        const av = a[aOff + i * ai + (p0 + p) * ap]!;
        if (av === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) acc[r + j]! += av * panel[bp + j]!;
      }
    }
  }
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    const r = i * n;
    for (let j = 0; j < n; j++) c[ci + j]! += alpha * acc[r + j]!;
  }
}

/**
 * `C += alpha * op(A) · op(B)` for one to three rows (matrix-vector shaped products), where
 * packing B would cost as much as the product: B is read in place, unit-stride in the inner loop.
 */
function gemmFewRows(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Floats, aOff: number, lda: number, b: Floats, bOff: number, ldb: number,
  c: Floats, cOff: number, ldc: number,
): void {
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  if (!transB) {
    const row = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[aOff + i * ai + p * ap]!;
        if (av === 0) continue;
        const bp = bOff + p * ldb;
        for (let j = 0; j < n; j++) row[j]! += av * b[bp + j]!;
      }
      const ci = cOff + i * ldc;
      for (let j = 0; j < n; j++) c[ci + j]! += alpha * row[j]!;
    }
    return;
  }
  const arow = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) arow[p] = a[aOff + i * ai + p * ap]!;
    const ci = cOff + i * ldc;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += arow[p]! * b[bj + p]!;
      c[ci + j]! += alpha * s;
    }
  }
}

/**
 * Small products (tiny recurrent layers, one-row updates): one float64 dot product per output,
 * summed in k order, with no allocation, since for these the scratch buffers of the blocked
 * path cost more than the arithmetic.
 */
function gemmDirect(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Floats, aOff: number, lda: number, b: Floats, bOff: number, ldb: number,
  c: Floats, cOff: number, ldc: number,
): void {
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    const a0 = aOff + i * ai;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, oa = a0, ob = bOff + j * bj; p < k; p++, oa += ap, ob += bp) s += a[oa]! * b[ob]!;
      c[ci + j]! += alpha * s;
    }
  }
}

/** How a 2-D matrix view can be fed to gemm without copying: its leading dim and transpose flag. */
function layout(rows: number, cols: number, rs: number, cs: number): { trans: boolean; ld: number } | null {
  if (cs === 1 && (rs >= cols || rows <= 1)) return { trans: false, ld: Math.max(rs, cols, 1) };
  if (rs === 1 && (cs >= rows || cols <= 1)) return { trans: true, ld: Math.max(cs, rows, 1) };
  return null;
}

/** torch.matmul for operands of at least 2 dims (1-D cases are reshaped by the caller); `gemmFn` does the products. */
export function matmul(a0: NDArray, b0: NDArray, gemmFn: GemmFn = gemm): NDArray {
  if (a0.ndim < 2 || b0.ndim < 2) {
    throw new Error(`matmul: kernel expects ≥2-D operands, got ${fmt(a0.shape)} and ${fmt(b0.shape)}`);
  }
  const m = a0.shape[a0.ndim - 2]!;
  const k = a0.shape[a0.ndim - 1]!;
  const k2 = b0.shape[b0.ndim - 2]!;
  const n = b0.shape[b0.ndim - 1]!;
  if (k !== k2) {
    throw new Error(`matmul: shapes ${fmt(a0.shape)} and ${fmt(b0.shape)} cannot be multiplied (${m}x${k} and ${k2}x${n})`);
  }
  const dtype = promoteTypes(a0.dtype, b0.dtype) === "float64" ? "float64" : "float32";
  let a = a0.dtype === dtype ? a0 : a0.copy(dtype);
  let b = b0.dtype === dtype ? b0 : b0.copy(dtype);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), "matmul");
  const outShape = [...batch, m, n];
  const out = NDArray.zeros(outShape, dtype);
  const nb = numel(batch);
  if (out.size === 0) return out;
  let la = layout(m, k, a.strides[a.ndim - 2]!, a.strides[a.ndim - 1]!);
  if (!la) {
    a = a.copy();
    la = { trans: false, ld: k };
  }
  let lb = layout(k, n, b.strides[b.ndim - 2]!, b.strides[b.ndim - 1]!);
  if (!lb) {
    b = b.copy();
    lb = { trans: false, ld: n };
  }
  const ea = new NDArray(a.data, [...batch, m, k], [...a.expand([...batch, m, k]).strides], a.offset);
  const eb = new NDArray(b.data, [...batch, k, n], [...b.expand([...batch, k, n]).strides], b.offset);
  const bd = batch.length;
  const idx = new Array<number>(bd).fill(0);
  const c = out.data as Floats;
  for (let t = 0; t < nb; t++) {
    let oa = ea.offset;
    let ob = eb.offset;
    for (let d = 0; d < bd; d++) {
      oa += idx[d]! * ea.strides[d]!;
      ob += idx[d]! * eb.strides[d]!;
    }
    gemmFn(la.trans, lb.trans, m, n, k, 1, a.data as Floats, oa, la.ld, b.data as Floats, ob, lb.ld, 0, c, t * m * n, n);
    for (let d = bd - 1; d >= 0; d--) {
      if (++idx[d]! < batch[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}
