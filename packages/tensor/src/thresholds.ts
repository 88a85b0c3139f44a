// Every size threshold that picks an execution path, in one place. Each name says what the
// choice trades; the values were measured on the bench workloads (bench/README.md) on a 2-vCPU
// host and only move together with a bench run.

/**
 * JS GEMM: up to this many multiply-adds (m·n·k) a product runs as a direct triple loop; past it,
 * the packed, blocked loop, whose panel copy only pays for larger products.
 */
export const JS_DIRECT_GEMM_MAX_MACS = 4096;

/** wasm: below this many elements, copying operands into linear memory costs more than the SIMD loop saves (elementwise ops). */
export const WASM_ELEMENTWISE_MIN_ELEMENTS = 64;

/** wasm: below this many elements a softmax (or its backward) runs as JS loops rather than paying the copies into linear memory. */
export const WASM_SOFTMAX_MIN_ELEMENTS = 256;

/** wasm: below this many hidden units (rows × H) in a step, a fused cell runs on the JS kernel rather than paying the copy-in. */
export const WASM_CELL_MIN_UNITS = 64;

/**
 * wasm: below this many elements an Elman step's tanh runs as a JS loop rather than a SIMD
 * kernel call (copy-in, call, copy-out).
 */
export const WASM_ACTIVATION_MIN_ELEMENTS = 256;

/**
 * wasm: below this many multiply-adds (m·n·k) a GEMM runs on the JS kernel, as fast as the
 * copy-in and copy-out; also the smallest step product for which a whole recurrent sequence is
 * kept in wasm memory.
 */
export const WASM_GEMM_MIN_MACS = 1024;

/** wasm: from this many multiply-adds a product is split over worker threads (a split costs a few µs of hand-off). */
export const THREAD_SPLIT_MIN_MACS = 1 << 20;

/**
 * wasm: from this many multiply-adds a recurrent step (its `h · W_hhᵀ` and cell, split by hidden
 * units) and the walk's batch-1 input product are split over worker threads. With a worker awake
 * the hand-off costs ~2 µs, and on a quiet machine two threads halve a batch-1 step (LSTM(512)
 * 101 → 53 µs, GRU(512) 76 → 47, GRU(256) 21 → 12; bench/profile/stepSplit.ts); with the other
 * core busy a split step takes 1.5–2× as long as one thread, so steps below ~50 µs stay whole.
 */
export const STEP_SPLIT_MIN_MACS = 1 << 19;

/** Chunks per thread of a split product: more balance the load, fewer repack less of the operand the chunks share. */
export const CHUNKS_PER_THREAD = 4;

/** Fewest rows or columns in a chunk of a split product: each chunk repacks the operand it shares with the others. */
export const MIN_CHUNK = 256;
