// Which backend kernels run on: chosen on first use (RNNKIT_BACKEND, else wasm where WebAssembly
// SIMD exists, else js), or explicitly with setBackend; the wasm backend is loaded lazily.

import type { Backend } from "./backend.js";
import { jsBackend } from "./jsBackend.js";
import { loadWasmKernels, loadWasmKernelsAsync } from "./wasm/loader.js";
import { createWasmBackend } from "./wasm/wasmBackend.js";

let wasm: Backend | null | undefined;

/**
 * The WASM-SIMD backend (float32 GEMM and hot elementwise kernels in f32x4 code, the rest on
 * the JS backend), or null where WebAssembly SIMD is unavailable. Loaded on first use.
 * @example const w = wasmBackend(); if (w) setBackend(w);
 */
export function wasmBackend(): Backend | null {
  if (wasm === undefined) {
    const kernels = loadWasmKernels();
    wasm = kernels ? createWasmBackend(kernels, jsBackend) : null;
  }
  return wasm;
}

/**
 * Loads the wasm backend asynchronously where synchronous loading failed (browser main threads
 * refuse to compile modules over 4 KB synchronously) and, unless `setBackend` or
 * `RNNKIT_BACKEND` chose a backend, makes it the active one. Resolves to it, or null without SIMD.
 * @example await initWasmBackend(); // before training in a browser page
 */
export async function initWasmBackend(): Promise<Backend | null> {
  if (!wasmBackend()) {
    const kernels = await loadWasmKernelsAsync();
    if (kernels) wasm = createWasmBackend(kernels, jsBackend);
  }
  if (wasm && !chosen && envBackend() === undefined) active = wasm;
  return wasm ?? null;
}

/** Names `setBackend` accepts in place of a Backend object. */
export type BackendName = "js" | "wasm";

function byName(name: string, where: string): Backend {
  if (name === "js") return jsBackend;
  if (name === "wasm") {
    const w = wasmBackend();
    if (!w) throw new Error(`${where}: the wasm backend needs WebAssembly SIMD, which this runtime lacks`);
    return w;
  }
  throw new Error(`${where}: unknown backend "${name}" (expected "js" or "wasm")`);
}

/** `RNNKIT_BACKEND` from the environment in Node; undefined elsewhere. */
function envBackend(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.RNNKIT_BACKEND;
  return v === undefined || v === "" ? undefined : v;
}

/** The default: `RNNKIT_BACKEND` if set, else wasm where WebAssembly SIMD exists, else js. */
function defaultBackend(): Backend {
  const env = envBackend();
  if (env !== undefined) return byName(env, "RNNKIT_BACKEND");
  return wasmBackend() ?? jsBackend;
}

let active: Backend | undefined;
/** True once `setBackend` picked a backend explicitly. */
let chosen = false;

/** The backend kernels run on (chosen on first use: see `setBackend`). */
export function backend(): Backend {
  if (active === undefined) active = defaultBackend();
  return active;
}

/**
 * Selects the backend every later kernel call uses; returns the previous one. Without a call,
 * the wasm backend is used where WebAssembly SIMD exists; `RNNKIT_BACKEND=js` (Node) forces js.
 * @example const prev = setBackend("js"); try { run(); } finally { setBackend(prev); }
 */
export function setBackend(b: Backend | BackendName): Backend {
  const prev = backend();
  active = typeof b === "string" ? byName(b, "setBackend") : b;
  chosen = true;
  return prev;
}
