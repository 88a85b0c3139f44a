// The backends the gated-sequence tests run on: the JS backend, the wasm kernels with their own
// memory (one thread), and the shared-memory kernels with two workers that split every product of
// 16 multiply-adds or more, in chunks of 8 columns or hidden units.
import { jsBackend, type Backend, type Generator } from "@rnnkit/tensor";
import { loadWasmKernels } from "../src/wasm/loader.js";
import { ThreadPool } from "../src/wasm/threadPool.js";
import { createWasmBackend } from "../src/wasm/wasmBackend.js";

const shared = loadWasmKernels(true)!;
/** The workers of `threaded` (close it in the test file's afterAll). */
export const pool = new ThreadPool(shared);
export const threaded = createWasmBackend(shared, jsBackend, { pool, minSplit: 16, threads: 3, minChunk: 1 });
export const single = createWasmBackend(loadWasmKernels(false)!, jsBackend);
/** True once both workers are up. */
export const ready = await pool.whenReady(2);

export const BACKENDS: [string, Backend][] = [["js", jsBackend], ["wasm", single], ["wasm (threads)", threaded]];

/** `n` normal draws from `gen`, times `scale`, as float32. */
export function normals(gen: Generator, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gen.normal() * scale;
  return out;
}

/** Walks of both kinds: shrinking batches, H not a multiple of 4 (5: every backend's plain loop) or of 8 (12). */
export const SHAPES: [string, number, number[]][] = [
  ["uniform batch", 16, [4, 4, 4, 4, 4]],
  ["shrinking batch", 64, [5, 5, 3, 2, 1]],
  ["H 12", 12, [3, 2, 2, 1]],
  ["H 5", 5, [3, 3, 1]],
  ["one step, one row", 8, [1]],
];

/** A packed walk of the given batch sizes: per step its rows, first packed row, first saved row (the packed one, or 0 when nothing is kept). */
export function walk(batchSizes: number[], reverse: boolean, keep = true): Int32Array {
  const offsets: number[] = [];
  let o = 0;
  for (const b of batchSizes) {
    offsets.push(o);
    o += b;
  }
  const T = batchSizes.length;
  const steps = new Int32Array(3 * T);
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    steps.set([batchSizes[t]!, offsets[t]!, keep ? offsets[t]! : 0], 3 * k);
  }
  return steps;
}
