import { getNumThreads } from "./numThreads.js";
import { splitBounds } from "./splitBounds.js";
import type { WasmKernels } from "./loader.js";
import type { JobOp, ThreadPool } from "./threadPool.js";
import { MAX_ARGS } from "./workerSource.js";
import { CHUNKS_PER_THREAD, STEP_SPLIT_MIN_MACS } from "../thresholds.js";

/** How the wasm backend splits work over its worker threads. */
export interface Chunker {
  /** Threads a product of `macs` multiply-adds runs on: 1, or 1 + the workers ready now. */
  threadsFor(macs: number): number;
  /**
   * Threads a batch-1-sized recurrent step (or a product of the recurrent walk) of `macs`
   * multiply-adds runs on: split from `STEP_SPLIT_MIN_MACS`, or the products' threshold if lower.
   */
  threadsForStep(macs: number): number;
  /**
   * Runs kernel `op` with `args` over `0..size` cut into chunks at multiples of `unit` (a few per
   * thread, so a busy or late worker just takes fewer), or as one call when `threads` is 1 or
   * the size is too small to cut. `vary` lists `[arg index, at0, perLo, perHi]`: a chunk
   * `lo..hi` passes `at0 + lo · perLo + hi · perHi` there. `workArg` indexes the GEMM workspace.
   */
  chunked(
    op: JobOp, args: number[], workArg: number, threads: number, size: number, unit: number,
    vary: readonly (readonly [number, number, number, number])[],
  ): void;
}

/**
 * The wasm backend's thread split: `pool` (or none) runs chunks of a kernel call; products of
 * `minSplit` multiply-adds or more (recurrent steps from `STEP_SPLIT_MIN_MACS`) are split, into chunks of at least `minChunk` rows or columns,
 * over `fixedThreads` (default `getNumThreads()`).
 * @example const { threadsFor, chunked } = createChunker(kernels, threadPool(kernels), 1 << 20, 256)
 */
export function createChunker(kernels: WasmKernels, pool: ThreadPool | null, minSplit: number, minChunk: number, fixedThreads?: number): Chunker {
  const k = kernels.exports;
  /** Threads a product of `macs` multiply-adds runs on: 1, or 1 + the workers ready now. */
  function threadsFor(macs: number): number {
    return threadsFrom(macs, minSplit);
  }
  const minStep = Math.min(minSplit, STEP_SPLIT_MIN_MACS);
  function threadsForStep(macs: number): number {
    return threadsFrom(macs, minStep);
  }
  function threadsFrom(macs: number, min: number): number {
    if (!pool || macs < min) return 1;
    const want = fixedThreads ?? getNumThreads();
    return want > 1 ? 1 + pool.available(want - 1) : 1;
  }

  // A chunked job's argument vectors, reused from call to call (jobs never nest).
  const jobBase = new Array<number>(MAX_ARGS).fill(0);
  const jobLo = new Array<number>(MAX_ARGS).fill(0);
  const jobHi = new Array<number>(MAX_ARGS).fill(0);

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

  return { threadsFor, threadsForStep, chunked };
}
