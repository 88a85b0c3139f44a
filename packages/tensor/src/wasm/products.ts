import type { Backend, PreparedGemmB } from "../backend.js";
import type { Floats } from "../dtype.js";
import { linearGradsOn } from "../kernels/linearProducts.js";
import { compactOpB } from "../kernels/preparedGemm.js";
import { WASM_GEMM_MIN_MACS } from "../thresholds.js";
import { align, type WasmKernels } from "./loader.js";
import type { Chunker } from "./threads.js";

/** The micro-kernel's tile: row splits fall on multiples of MR, column splits on multiples of NR. */
export const MR = 4;
export const NR = 8;
/** The argument a chunked job without a GEMM workspace names as its workspace: past its own, so unused. */
const UNUSED_ARG = 15;

/** The wasm backend's matrix products, on operands copied into (or kept in) the kernels' memory. */
export interface Products {
  gemm: Backend["gemm"];
  affineRows: Backend["affineRows"];
  linearGrads: Backend["linearGrads"];
  prepareGemmB: Backend["prepareGemmB"];
  /** `C = alpha · op(A) · B + beta · C` with B packed at `pp` (`packGemmB`), compact operands at byte addresses, in row chunks over `threads`. */
  rowChunks(transA: boolean, m: number, n: number, kk: number, alpha: number, pa: number, aCols: number, pp: number, beta: number, pc: number, threads: number): void;
  /** `C = A · B` with A packed at `pA` (`packRowsA`) and B at `bp` (`packGemmB`), C compact, in column chunks over `threads`. */
  prepackedProduct(m: number, n: number, kk: number, pA: number, bp: number, pc: number, threads: number): void;
}

/**
 * float32 GEMM in f32x4 code, split over threads where it pays (`chunker`); float64 and products
 * below `WASM_GEMM_MIN_MACS` multiply-adds run on `fallback`.
 * @example const { gemm } = createProducts(kernels, jsBackend, chunker)
 */
export function createProducts(kernels: WasmKernels, fallback: Backend, chunker: Chunker): Products {
  const k = kernels.exports;
  const work = kernels.workBase;
  const { threadsFor, chunked } = chunker;

  /** Copies `rows` rows of `cols` floats (leading dim `ld`) from `src` into memory at `dst` (compacted). */
  function copyIn(mem: Float32Array, dst: number, src: Float32Array, off: number, rows: number, cols: number, ld: number): void {
    const d = dst >> 2;
    if (ld === cols) {
      mem.set(src.subarray(off, off + rows * cols), d);
      return;
    }
    for (let r = 0; r < rows; r++) mem.set(src.subarray(off + r * ld, off + r * ld + cols), d + r * cols);
  }

  /** True when a product of these operands runs here rather than on the fallback. */
  function runsHere(a: Floats, b: Floats, c: Floats, macs: number): a is Float32Array {
    return a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array && macs >= WASM_GEMM_MIN_MACS;
  }

  /** Floats of packed op(B) a product of this shape needs (0 when it runs unpacked). */
  function packFloats(m: number, n: number, kk: number, threads: number): number {
    return threads > 1 && m > n ? k.packedBFloats(n, kk) : 0;
  }

  /**
   * `C = alpha · op(A) · op(B) + beta · C` on compact operands already in memory (A at `pa`, B at
   * `pb`, C at `pc`), `pp` room for `packFloats` floats of packed B.
   */
  function productAt(
    transA: boolean, transB: boolean, m: number, n: number, kk: number, alpha: number,
    pa: number, pb: number, beta: number, pc: number, pp: number, threads: number,
  ): void {
    const aCols = transA ? m : kk;
    const bCols = transB ? kk : n;
    // Cut the longer side of C; every element keeps its k-order, so the result is bit-identical.
    // Row chunks share all of op(B): it is packed once, up front, rather than once per chunk.
    if (threads > 1 && m > n) {
      k.packGemmB(transB ? 1 : 0, n, kk, pb, bCols, pp);
      rowChunks(transA, m, n, kk, alpha, pa, aCols, pp, beta, pc, threads);
    } else {
      const args = [transA ? 1 : 0, transB ? 1 : 0, m, n, kk, alpha, pa, aCols, pb, bCols, beta, pc, n, work];
      if (m > n) chunked("gemm", args, 13, threads, m, MR, [[2, 0, -1, 1], [6, pa, (transA ? 1 : aCols) * 4, 0], [11, pc, n * 4, 0]]);
      else chunked("gemm", args, 13, threads, n, NR, [[3, 0, -1, 1], [8, pb, (transB ? bCols : 1) * 4, 0], [11, pc, 4, 0]]);
    }
  }

  /** Copies the compact (m × n) product at `pc` out into `c` (leading dim `ldc`). */
  function copyOut(mem: Float32Array, pc: number, m: number, n: number, c: Floats, cOff: number, ldc: number): void {
    const out = mem.subarray(pc >> 2, (pc >> 2) + m * n);
    if (ldc === n) c.set(out, cOff);
    else for (let r = 0; r < m; r++) c.set(out.subarray(r * n, (r + 1) * n), cOff + r * ldc);
  }

  /** `gemm`, with C's initial value (beta 1) every row `cRow` instead of `c` when `cRow` is given. */
  function product(
    transA: boolean, transB: boolean, m: number, n: number, kk: number, alpha: number,
    a: Floats, aOff: number, lda: number,
    b: Floats, bOff: number, ldb: number,
    beta: number, c: Floats, cOff: number, ldc: number, cRow: Floats | null,
  ): void {
    const onFallback = (): void => {
      if (cRow) for (let r = 0; r < m; r++) c.set(cRow.subarray(0, n), cOff + r * ldc);
      fallback.gemm(transA, transB, m, n, kk, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    };
    if (!runsHere(a, b, c, m * n * kk) || (cRow && !(cRow instanceof Float32Array))) return onFallback();
    const aRows = transA ? kk : m;
    const aCols = transA ? m : kk;
    const bRows = transB ? n : kk;
    const bCols = transB ? kk : n;
    const threads = threadsFor(m * n * kk);
    const l = kernels.layout([aRows * aCols, bRows * bCols, m * n, packFloats(m, n, kk, threads)]);
    if (!l) return onFallback();
    const { mem } = l;
    const [pa, pb, pc, pp] = l.at as [number, number, number, number];
    copyIn(mem, pa, a, aOff, aRows, aCols, lda);
    copyIn(mem, pb, b as Float32Array, bOff, bRows, bCols, ldb);
    if (cRow) {
      const row = (cRow as Float32Array).subarray(0, n);
      for (let r = 0; r < m; r++) mem.set(row, (pc >> 2) + r * n);
    } else if (beta !== 0) copyIn(mem, pc, c as Float32Array, cOff, m, n, ldc);
    productAt(transA, transB, m, n, kk, alpha, pa, pb, beta, pc, pp, threads);
    copyOut(mem, pc, m, n, c, cOff, ldc);
  }

  function gemm(
    transA: boolean, transB: boolean, m: number, n: number, kk: number, alpha: number,
    a: Floats, aOff: number, lda: number,
    b: Floats, bOff: number, ldb: number,
    beta: number, c: Floats, cOff: number, ldc: number,
  ): void {
    product(transA, transB, m, n, kk, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null);
  }

  const affineRows: Backend["affineRows"] = (N, I, O, x, w, bias, out) => {
    if (!bias) product(false, true, N, O, I, 1, x, 0, I, w, 0, I, 0, out, 0, O, null);
    else product(false, true, N, O, I, 1, x, 0, I, w, 0, I, 1, out, 0, O, bias);
  };

  /** Both products and the column sums from one copy of `g` in memory (`gemm`'s kernels and splits, `columnSums`' order). */
  const linearGrads: Backend["linearGrads"] = (N, I, O, g, w, x, dx, dw, db) => {
    const macs = N * I * O;
    const here = g instanceof Float32Array && (dx === null || runsHere(g, w, dx, macs)) && (dw === null || runsHere(g, x, dw, macs)) &&
      (db === null || db instanceof Float32Array) && (dx !== null || dw !== null);
    const threads = threadsFor(macs);
    const pack = Math.max(dx ? packFloats(N, I, O, threads) : 0, dw ? packFloats(O, I, N, threads) : 0);
    const l = here ? kernels.layout([N * O, dx ? O * I : 0, dw ? N * I : 0, dx ? N * I : 0, dw ? O * I : 0, pack, db ? 2 * O : 0, db ? O : 0]) : null;
    if (!l) {
      linearGradsOn(gemm, N, I, O, g, w, x, dx, dw, db);
      return;
    }
    const { mem } = l;
    const [pg, pw, px, pdx, pdw, pp, pacc, pdb] = l.at as [number, number, number, number, number, number, number, number];
    mem.set((g as Float32Array).subarray(0, N * O), pg >> 2);
    if (db) {
      const sumThreads = threadsFor(N * O);
      const args = [pg, N, O, O, pacc, pdb];
      if (sumThreads === 1) k.columnSums(pg, N, O, O, pacc, pdb);
      else chunked("columnSums", args, UNUSED_ARG, sumThreads, O, 4, [[0, pg, 4, 0], [3, 0, -1, 1], [4, pacc, 8, 0], [5, pdb, 4, 0]]);
      db.set(mem.subarray(pdb >> 2, (pdb >> 2) + O));
    }
    if (dx) {
      mem.set((w as Float32Array).subarray(0, O * I), pw >> 2);
      productAt(false, false, N, I, O, 1, pg, pw, 0, pdx, pp, threads);
      copyOut(mem, pdx, N, I, dx, 0, I);
    }
    if (dw) {
      mem.set((x as Float32Array).subarray(0, N * I), px >> 2);
      productAt(true, false, O, I, N, 1, pg, px, 0, pdw, pp, threads);
      copyOut(mem, pdw, O, I, dw, 0, I);
    }
  };

  /** `C = alpha · op(A) · B + beta · C` with B packed at `pp` (`packGemmB`), compact operands at byte addresses, in row chunks over `threads`. */
  function rowChunks(
    transA: boolean, m: number, n: number, kk: number, alpha: number, pa: number, aCols: number, pp: number, beta: number, pc: number, threads: number,
  ): void {
    const args = [transA ? 1 : 0, m, n, kk, alpha, pa, aCols, pp, beta, pc, n, work, 0, n];
    chunked("gemmPacked", args, 11, threads, m, MR, [[1, 0, -1, 1], [5, pa, (transA ? 1 : aCols) * 4, 0], [9, pc, n * 4, 0]]);
  }

  /** `C = A · B` with B packed at `bp` (`packGemmB`), compact operands at byte addresses, in column chunks over the threads. */
  function packedProduct(m: number, n: number, kk: number, pa: number, bp: number, pc: number): void {
    const threads = threadsFor(m * n * kk);
    if (threads === 1) {
      k.gemmPacked(0, m, n, kk, 1, pa, kk, bp, 0, pc, n, work, 0, n);
      return;
    }
    // Every column chunk reads all of A: it is packed once, after C (scratch is free past it).
    const pA = align(pc + m * n * 4);
    if (!kernels.ensure(pA + k.packedAFloats(m, kk) * 4 - kernels.scratchBase)) {
      chunked("gemmPacked", [0, m, n, kk, 1, pa, kk, bp, 0, pc, n, work, 0, n], 11, threads, n, NR, [[12, 0, 1, 0], [13, 0, 0, 1]]);
      return;
    }
    k.packRowsA(pa, kk, m, kk, pA);
    prepackedProduct(m, n, kk, pA, bp, pc, threads);
  }

  /** `C = A · B` with A packed at `pA` (`packRowsA`) and B at `bp` (`packGemmB`), C compact, in column chunks over `threads`. */
  function prepackedProduct(m: number, n: number, kk: number, pA: number, bp: number, pc: number, threads: number): void {
    chunked("gemmPrepacked", [m, n, kk, pA, bp, pc, n, work, 0, n], 7, threads, n, NR, [[8, 0, 1, 0], [9, 0, 0, 1]]);
  }

  /**
   * float32 op(B) of at least WASM_GEMM_MIN_MACS / 16 multiply-adds per row is packed into the pinned area
   * once; products run `gemmPacked` on it, repacking from a compact JS copy only when another
   * prepared operand took the pinned area meanwhile. Everything else runs on the fallback.
   */
  function prepareGemmB(transB: boolean, n: number, kk: number, b: Floats, bOff: number, ldb: number): PreparedGemmB {
    if (!(b instanceof Float32Array) || n * kk * 16 < WASM_GEMM_MIN_MACS) return fallback.prepareGemmB(transB, n, kk, b, bOff, ldb);
    const src = compactOpB(transB, n, kk, b, bOff, ldb) as Float32Array;
    const ld = transB ? kk : n;
    const id = kernels.nextPinId();
    const packedBytes = k.packedBFloats(n, kk) * 4;
    /** Packs `src` into the pinned area unless it is there already; false when memory is short. */
    function pinned(): boolean {
      if (kernels.pinnedOwner === id) return true;
      // Pinning may grow the memory, so the view is taken afterwards.
      if (!kernels.pin(packedBytes)) return false;
      const mem = kernels.ensure(src.length * 4);
      if (!mem) return false;
      const base = kernels.scratchBase;
      mem.set(src, base >> 2);
      k.packGemmB(transB ? 1 : 0, n, kk, base, ld, kernels.pinnedBase);
      kernels.pinnedOwner = id;
      return true;
    }
    return {
      n,
      k: kk,
      gemm(m, a, aOff, lda, c, cOff, ldc) {
        if (!(a instanceof Float32Array && c instanceof Float32Array) || m * n * kk < WASM_GEMM_MIN_MACS || !pinned()) {
          fallback.gemm(false, transB, m, n, kk, 1, a, aOff, lda, src, 0, ld, 0, c, cOff, ldc);
          return;
        }
        const base = kernels.scratchBase;
        const pa = base;
        const pc = align(pa + m * kk * 4);
        const mem = kernels.ensure(pc + m * n * 4 - base);
        if (!mem) {
          fallback.gemm(false, transB, m, n, kk, 1, a, aOff, lda, src, 0, ld, 0, c, cOff, ldc);
          return;
        }
        copyIn(mem, pa, a, aOff, m, kk, lda);
        packedProduct(m, n, kk, pa, kernels.pinnedBase, pc);
        const out = mem.subarray(pc >> 2, (pc >> 2) + m * n);
        if (ldc === n) c.set(out, cOff);
        else for (let r = 0; r < m; r++) c.set(out.subarray(r * n, (r + 1) * n), cOff + r * ldc);
      },
    };
  }

  return { gemm, affineRows, linearGrads, prepareGemmB, rowChunks, prepackedProduct };
}
