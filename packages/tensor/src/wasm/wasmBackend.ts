import type { Backend, BinaryOp, PreparedGemmB, UnaryOp } from "../backend.js";
import { matmul } from "../kernels/matmul.js";
import { runRecurrentSequence } from "../kernels/recurrentSequence.js";
import { runRecurrentSequenceBackward } from "../kernels/recurrentSequenceBackward.js";
import { rnnPreActivation } from "../kernels/recurrentCells.js";
import { compactOpB } from "../kernels/preparedGemm.js";
import type { Floats as FloatArray } from "../dtype.js";
import { NDArray } from "../ndarray.js";
import { broadcastShapes, numel } from "../shape.js";
import {
  CHUNKS_PER_THREAD, MIN_CHUNK, THREAD_SPLIT_MIN_MACS, WASM_ACTIVATION_MIN_ELEMENTS, WASM_CELL_MIN_UNITS,
  WASM_ELEMENTWISE_MIN_ELEMENTS, WASM_GEMM_MIN_MACS,
} from "../thresholds.js";
import { residentRecurrentSequence, type StepRunner } from "./recurrentSequence.js";
import { residentRecurrentSequenceBackward } from "./recurrentSequenceBackward.js";
import { align, type WasmKernels } from "./loader.js";
import { getNumThreads } from "./numThreads.js";
import { wasmSoftmax } from "./softmaxRows.js";
import { splitBounds } from "./splitBounds.js";
import { threadPool, type JobOp, type ThreadPool } from "./threadPool.js";
import { MAX_ARGS } from "./workerSource.js";


/** The micro-kernel's tile: row splits fall on multiples of MR, column splits on multiples of NR. */
const MR = 4;
const NR = 8;
/** Options of `createWasmBackend`. */
export interface WasmBackendOptions {
  /** Workers to split large GEMMs over; default: the kernels' own pool if their memory is shared, else none. */
  pool?: ThreadPool | null;
  /** Multiply-adds from which a GEMM is split (default 2^20). */
  minSplit?: number;
  /** Threads to split over, in place of `getNumThreads()`. */
  threads?: number;
  /** Fewest rows or columns in a chunk (default 256; tests cut edge shapes finer). */
  minChunk?: number;
}

const UNARY_CODE: Partial<Record<UnaryOp, number>> = { exp: 0, tanh: 1, sigmoid: 2, relu: 3 };
const BINARY_CODE: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

/** How an operand feeds a binary op's output: every element, one broadcast row, or one scalar. */
type Feed = "full" | "row" | "scalar";

/** The shape with its leading size-1 dims removed. */
function stripLeadingOnes(shape: readonly number[]): readonly number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** True when `tail` equals the last `tail.length` sizes of `shape`. */
function isSuffix(tail: readonly number[], shape: readonly number[]): boolean {
  if (tail.length > shape.length) return false;
  const off = shape.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (tail[i] !== shape[off + i]) return false;
  return true;
}

/**
 * A WASM-SIMD backend: float32 GEMM/matmul and the hot contiguous elementwise kernels
 * (add, sub, mul, div, exp, tanh, sigmoid, relu, axpy) run in AssemblyScript-compiled f32x4 code;
 * everything else, float64 and int32 included, is delegated to `fallback`.
 * @example setBackend(createWasmBackend(loadWasmKernels()!, jsBackend))
 */
export function createWasmBackend(kernels: WasmKernels, fallback: Backend, options: WasmBackendOptions = {}): Backend {
  const k = kernels.exports;
  const work = kernels.workBase;
  const pool = options.pool === undefined ? threadPool(kernels) : options.pool;
  const minSplit = options.minSplit ?? THREAD_SPLIT_MIN_MACS;
  const minChunk = options.minChunk ?? MIN_CHUNK;

  /** Threads a product of `macs` multiply-adds runs on: 1, or 1 + the workers ready now. */
  function threadsFor(macs: number): number {
    if (!pool || macs < minSplit) return 1;
    const want = options.threads ?? getNumThreads();
    return want > 1 ? 1 + pool.available(want - 1) : 1;
  }

  // A chunked job's argument vectors, reused from call to call (jobs never nest).
  const jobBase = new Array<number>(MAX_ARGS).fill(0);
  const jobLo = new Array<number>(MAX_ARGS).fill(0);
  const jobHi = new Array<number>(MAX_ARGS).fill(0);

  /**
   * Runs kernel `op` with `args` over `0..size` cut into chunks at multiples of `unit` (a few per
   * thread, so a busy or late worker just takes fewer), or as one call when `threads` is 1 or
   * the size is too small to cut. `vary` lists `[arg index, at0, perLo, perHi]`: a chunk
   * `lo..hi` passes `at0 + lo · perLo + hi · perHi` there. `workArg` indexes the GEMM workspace.
   */
  function chunked(
    op: JobOp, args: number[], workArg: number, threads: number, size: number, unit: number,
    vary: readonly (readonly [number, number, number, number])[],
  ): void {
    const chunks = threads * Math.max(1, Math.min(CHUNKS_PER_THREAD, Math.floor(size / (threads * minChunk))));
    const bounds = threads > 1 ? splitBounds(size, chunks, unit) : [0, size];
    if (bounds.length <= 2) {
      (k[op] as (...a: number[]) => void)(...args);
      return;
    }
    for (let i = 0; i < MAX_ARGS; i++) {
      jobBase[i] = args[i] ?? 0;
      jobLo[i] = 0;
      jobHi[i] = 0;
    }
    for (const [i, at0, l, h] of vary) {
      jobBase[i] = at0;
      jobLo[i] = l;
      jobHi[i] = h;
    }
    pool!.run({ op, base: jobBase, loCoef: jobLo, hiCoef: jobHi, workArg, bounds });
  }

  /** Copies `rows` rows of `cols` floats (leading dim `ld`) from `src` into memory at `dst` (compacted). */
  function copyIn(mem: Float32Array, dst: number, src: Float32Array, off: number, rows: number, cols: number, ld: number): void {
    const d = dst >> 2;
    if (ld === cols) {
      mem.set(src.subarray(off, off + rows * cols), d);
      return;
    }
    for (let r = 0; r < rows; r++) mem.set(src.subarray(off + r * ld, off + r * ld + cols), d + r * cols);
  }

  function gemm(
    transA: boolean, transB: boolean, m: number, n: number, kk: number, alpha: number,
    a: FloatArray, aOff: number, lda: number,
    b: FloatArray, bOff: number, ldb: number,
    beta: number, c: FloatArray, cOff: number, ldc: number,
  ): void {
    if (
      !(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) ||
      m * n * kk < WASM_GEMM_MIN_MACS
    ) {
      fallback.gemm(transA, transB, m, n, kk, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    const aRows = transA ? kk : m;
    const aCols = transA ? m : kk;
    const bRows = transB ? n : kk;
    const bCols = transB ? kk : n;
    const threads = threadsFor(m * n * kk);
    // Cut the longer side of C; every element keeps its k-order, so the result is bit-identical.
    // Row chunks share all of op(B): it is packed once, up front, rather than once per chunk.
    const packB = threads > 1 && m > n;
    const l = kernels.layout([aRows * aCols, bRows * bCols, m * n, packB ? k.packedBFloats(n, kk) : 0]);
    if (!l) {
      fallback.gemm(transA, transB, m, n, kk, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    const { mem } = l;
    const [pa, pb, pc, pp] = l.at as [number, number, number, number];
    copyIn(mem, pa, a, aOff, aRows, aCols, lda);
    copyIn(mem, pb, b, bOff, bRows, bCols, ldb);
    if (beta !== 0) copyIn(mem, pc, c, cOff, m, n, ldc);
    if (packB) {
      k.packGemmB(transB ? 1 : 0, n, kk, pb, bCols, pp);
      rowChunks(transA, m, n, kk, alpha, pa, aCols, pp, beta, pc, threads);
    } else {
      const args = [transA ? 1 : 0, transB ? 1 : 0, m, n, kk, alpha, pa, aCols, pb, bCols, beta, pc, n, work];
      if (m > n) chunked("gemm", args, 13, threads, m, MR, [[2, 0, -1, 1], [6, pa, (transA ? 1 : aCols) * 4, 0], [11, pc, n * 4, 0]]);
      else chunked("gemm", args, 13, threads, n, NR, [[3, 0, -1, 1], [8, pb, (transB ? bCols : 1) * 4, 0], [11, pc, 4, 0]]);
    }
    const out = mem.subarray(pc >> 2, (pc >> 2) + m * n);
    if (ldc === n) c.set(out, cOff);
    else for (let r = 0; r < m; r++) c.set(out.subarray(r * n, (r + 1) * n), cOff + r * ldc);
  }

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
  function prepareGemmB(transB: boolean, n: number, kk: number, b: FloatArray, bOff: number, ldb: number): PreparedGemmB {
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

  /** True when every array is float32, the block is large enough and H fills whole f32x4 lanes. */
  function cellFits(bs: number, H: number, arrays: readonly FloatArray[]): boolean {
    return H % 4 === 0 && bs * H >= WASM_CELL_MIN_UNITS && arrays.every((x) => x instanceof Float32Array);
  }

  const lstmCell: Backend["lstmCell"] = (bs, H, gi, giOff, gh, bhh, c, acts, actsOff, tanhC, tanhCOff, h) => {
    const GH = 4 * H;
    const n = bs * GH;
    const s = bs * H;
    const l = cellFits(bs, H, [gi, gh, bhh, c, acts, tanhC, h]) ? kernels.layout([n, n, GH, s, n, s, s]) : null;
    if (!l) {
      fallback.lstmCell(bs, H, gi, giOff, gh, bhh, c, acts, actsOff, tanhC, tanhCOff, h);
      return;
    }
    const { mem, at } = l;
    const [pgi, pgh, pb, pc, pa, pt, ph] = at as [number, number, number, number, number, number, number];
    mem.set(gi.subarray(giOff, giOff + n), pgi >> 2);
    mem.set(gh.subarray(0, n), pgh >> 2);
    mem.set(bhh.subarray(0, GH), pb >> 2);
    mem.set(c.subarray(0, s), pc >> 2);
    k.lstmCell(bs, H, pgi, pgh, pb, pc, pa, pt, ph);
    acts.set(mem.subarray(pa >> 2, (pa >> 2) + n), actsOff);
    c.set(mem.subarray(pc >> 2, (pc >> 2) + s));
    tanhC.set(mem.subarray(pt >> 2, (pt >> 2) + s), tanhCOff);
    h.set(mem.subarray(ph >> 2, (ph >> 2) + s));
  };

  const gruCell: Backend["gruCell"] = (bs, H, gi, giOff, gh, bhh, h, acts, actsOff, ghN, ghNOff) => {
    const GH = 3 * H;
    const n = bs * GH;
    const s = bs * H;
    const l = cellFits(bs, H, [gi, gh, bhh, h, acts, ghN]) ? kernels.layout([n, n, GH, s, n, s]) : null;
    if (!l) {
      fallback.gruCell(bs, H, gi, giOff, gh, bhh, h, acts, actsOff, ghN, ghNOff);
      return;
    }
    const { mem, at } = l;
    const [pgi, pgh, pb, ph, pa, pn] = at as [number, number, number, number, number, number];
    mem.set(gi.subarray(giOff, giOff + n), pgi >> 2);
    mem.set(gh.subarray(0, n), pgh >> 2);
    mem.set(bhh.subarray(0, GH), pb >> 2);
    mem.set(h.subarray(0, s), ph >> 2);
    k.gruCell(bs, H, pgi, pgh, pb, ph, pa, pn);
    acts.set(mem.subarray(pa >> 2, (pa >> 2) + n), actsOff);
    h.set(mem.subarray(ph >> 2, (ph >> 2) + s));
    ghN.set(mem.subarray(pn >> 2, (pn >> 2) + s), ghNOff);
  };

  function unary(op: UnaryOp, x: NDArray): NDArray {
    const code = UNARY_CODE[op];
    if (code === undefined || x.dtype !== "float32" || x.size < WASM_ELEMENTWISE_MIN_ELEMENTS) return fallback.unary(op, x);
    const src = x.flat() as Float32Array;
    const n = src.length;
    const base = kernels.scratchBase;
    const mem = kernels.ensure(n * 4);
    if (!mem) return fallback.unary(op, x);
    mem.set(src, base >> 2);
    k.unary(code, base, base, n);
    return new NDArray(mem.slice(base >> 2, (base >> 2) + n), x.shape.slice());
  }

  /** How `x` feeds an output of `shape` (n elements), or null when the kernel cannot walk it. */
  function feedOf(x: NDArray, shape: readonly number[], n: number): Feed | null {
    if (!x.isContiguous()) return null;
    if (x.size === n) return "full";
    if (x.size === 1) return "scalar";
    if (isSuffix(stripLeadingOnes(x.shape), shape)) return "row";
    return null;
  }

  function binary(op: BinaryOp, a: NDArray, b: NDArray, opName: string = op): NDArray {
    const code = BINARY_CODE[op];
    if (code === undefined || a.dtype !== "float32" || b.dtype !== "float32") return fallback.binary(op, a, b, opName);
    const shape = broadcastShapes(a.shape, b.shape, opName);
    const n = numel(shape);
    if (n < WASM_ELEMENTWISE_MIN_ELEMENTS) return fallback.binary(op, a, b, opName);
    const fa = feedOf(a, shape, n);
    const fb = feedOf(b, shape, n);
    if (!fa || !fb) return fallback.binary(op, a, b, opName);
    // The output is viewed as rows × cols where cols is the broadcast row's length (n if none).
    const cols = fa === "row" ? a.size : fb === "row" ? b.size : n;
    const rows = n / cols;
    const base = kernels.scratchBase;
    const pa = base;
    const pb = align(pa + a.size * 4);
    const po = align(pb + b.size * 4);
    const mem = kernels.ensure(po + n * 4 - base);
    if (!mem) return fallback.binary(op, a, b, opName);
    mem.set(a.flat() as Float32Array, pa >> 2);
    mem.set(b.flat() as Float32Array, pb >> 2);
    k.binary(
      code,
      pa, fa === "full" ? cols : 0, fa === "scalar" ? 0 : 1,
      pb, fb === "full" ? cols : 0, fb === "scalar" ? 0 : 1,
      po, rows, cols,
    );
    return new NDArray(mem.slice(po >> 2, (po >> 2) + n), shape);
  }

  function axpy(a: NDArray, b: NDArray, alpha: number): NDArray {
    if (alpha === 1) return binary("add", a, b, "add");
    if (
      a.dtype !== "float32" || b.dtype !== "float32" || a.size < WASM_ELEMENTWISE_MIN_ELEMENTS ||
      a.ndim !== b.ndim || !a.shape.every((s, i) => s === b.shape[i])
    ) {
      return fallback.axpy(a, b, alpha);
    }
    const n = a.size;
    const base = kernels.scratchBase;
    const pa = base;
    const pb = align(pa + n * 4);
    const po = align(pb + n * 4);
    const mem = kernels.ensure(po + n * 4 - base);
    if (!mem) return fallback.axpy(a, b, alpha);
    mem.set(a.flat() as Float32Array, pa >> 2);
    mem.set(b.flat() as Float32Array, pb >> 2);
    k.axpy(pa, pb, alpha, po, n);
    return new NDArray(mem.slice(po >> 2, (po >> 2) + n), a.shape.slice());
  }

  /** A `gruStep` / `lstmStep` call split by hidden units (multiples of NR) over the threads; its last argument is the GEMM workspace. */
  const runStep: StepRunner = (op, args, H, macs) => {
    const workArg = args.length - 1;
    args[workArg] = work;
    chunked(op, args, workArg, H % NR === 0 ? threadsFor(macs) : 1, H, NR, [[2, 0, 1, 0], [3, 0, 0, 1]]);
  };
  /** An Elman step: the sum in JS, a large float32 tanh in SIMD code (relu and small blocks stay in JS). */
  const rnnCell: Backend["rnnCell"] = (relu, bs, H, gi, giOff, gh, bhh, h) => {
    const n = bs * H;
    const mem = !relu && n >= WASM_ACTIVATION_MIN_ELEMENTS && h instanceof Float32Array ? kernels.ensure(n * 4) : null;
    if (!mem) {
      fallback.rnnCell(relu, bs, H, gi, giOff, gh, bhh, h);
      return;
    }
    rnnPreActivation(bs, H, gi, giOff, gh, bhh, h);
    const base = kernels.scratchBase;
    mem.set(h.subarray(0, n), base >> 2);
    k.unary(UNARY_CODE.tanh!, base, base, n);
    h.set(mem.subarray(base >> 2, (base >> 2) + n));
  };

  const recurrentSequence = residentRecurrentSequence(
    kernels,
    {
      runStep,
      project: (m, n, kk, pa, pp, pc) => rowChunks(false, m, n, kk, 1, pa, kk, pp, 0, pc, threadsFor(m * n * kk)),
    },
    WASM_GEMM_MIN_MACS,
    (s) => runRecurrentSequence({ gemm, prepareGemmB, rnnCell, lstmCell, gruCell }, s),
  );

  const recurrentSequenceBackward = residentRecurrentSequenceBackward(
    kernels,
    (m, n, kk, pA, bp, pc) => prepackedProduct(m, n, kk, pA, bp, pc, threadsFor(m * n * kk)),
    WASM_GEMM_MIN_MACS,
    (s) => runRecurrentSequenceBackward({ ...fallback, prepareGemmB }, s),
  );

  return {
    ...fallback,
    name: "wasm",
    unary,
    binary,
    axpy,
    gemm,
    prepareGemmB,
    rnnCell,
    lstmCell,
    gruCell,
    recurrentSequence,
    recurrentSequenceBackward,
    matmul: (a, b) => matmul(a, b, gemm),
    ...wasmSoftmax(kernels, fallback),
  };
}
