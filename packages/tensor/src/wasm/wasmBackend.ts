import type { Backend } from "../backend.js";
import { matmul } from "../kernels/matmul.js";
import { MIN_CHUNK, THREAD_SPLIT_MIN_MACS } from "../thresholds.js";
import { createElementwise } from "./elementwise.js";
import type { WasmKernels } from "./loader.js";
import { createProducts } from "./products.js";
import { createRecurrent } from "./recurrent.js";
import { residentStore, type ResidentStore } from "./residentStore.js";
import { wasmSoftmax } from "./softmaxRows.js";
import { threadPool, type ThreadPool } from "./threadPool.js";
import { createChunker } from "./threads.js";

export interface WasmBackendOptions {
  /** Workers to split large GEMMs over; default: the kernels' own pool if their memory is shared, else none. */
  pool?: ThreadPool | null;
  /** Multiply-adds from which a GEMM is split (default 2^20). */
  minSplit?: number;
  /** Threads to split over, in place of `getNumThreads()`. */
  threads?: number;
  /** Fewest rows or columns in a chunk (default 256; tests cut edge shapes finer). */
  minChunk?: number;
  /** Where stamped weights stay packed across calls; default: the kernels' own store (`residentStore`); null: none (packed on every call). */
  store?: ResidentStore | null;
}

/**
 * A WASM-SIMD backend, assembled from its concerns: products (float32 GEMM/matmul and prepared
 * right-hand operands, `products.ts`), elementwise kernels (`elementwise.ts`), recurrent kernels
 * (fused cells and whole-sequence walks kept in wasm memory, their stamped weights resident there
 * across calls, `recurrent.ts`, `residentStore.ts`), softmax rows
 * and their backward (`softmaxRows.ts`), and the split of
 * large products and recurrent steps over worker threads (`threads.ts`). Everything else,
 * float64 and int32 included, is delegated to `fallback`.
 * @example setBackend(createWasmBackend(loadWasmKernels()!, jsBackend))
 */
export function createWasmBackend(kernels: WasmKernels, fallback: Backend, options: WasmBackendOptions = {}): Backend {
  const pool = options.pool === undefined ? threadPool(kernels) : options.pool;
  const chunker = createChunker(kernels, pool, options.minSplit ?? THREAD_SPLIT_MIN_MACS, options.minChunk ?? MIN_CHUNK, options.threads);
  const products = createProducts(kernels, fallback, chunker);
  return {
    ...fallback,
    name: "wasm",
    ...createElementwise(kernels, fallback),
    gemm: products.gemm,
    affineRows: products.affineRows,
    linearGrads: products.linearGrads,
    prepareGemmB: products.prepareGemmB,
    matmul: (a, b) => matmul(a, b, products.gemm),
    ...createRecurrent(kernels, fallback, chunker, products, options.store === undefined ? residentStore(kernels) : options.store),
    ...wasmSoftmax(kernels, fallback, chunker),
  };
}
