import {
  KERNELS_RELAXED_WASM_BASE64, KERNELS_SHARED_RELAXED_WASM_BASE64, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64,
} from "./kernels.wasm.js";
import { getNumThreads } from "./numThreads.js";
import { CONTROL_BYTES, MAX_WORKERS } from "./workerSource.js";

/** The raw exports of the AssemblyScript kernels module (byte addresses, element counts). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  gemmWorkBytes(): number;
  gemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
  ): void;
  unary(op: number, x: number, out: number, n: number): void;
  binary(op: number, a: number, ra: number, sa: number, b: number, rb: number, sb: number, out: number, rows: number, cols: number): void;
  axpy(a: number, b: number, alpha: number, out: number, n: number): void;
  packedBFloats(n: number, k: number): number;
  lstmCell(bs: number, H: number, gi: number, gh: number, bhh: number, c: number, acts: number, tanhC: number, h: number): void;
  gruCell(bs: number, H: number, gi: number, gh: number, bhh: number, h: number, acts: number, ghN: number): void;
  packGemmB(transB: number, n: number, k: number, b: number, ldb: number, dst: number): void;
  gemmPacked(
    transA: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, bp: number, beta: number, c: number, ldc: number, work: number, j0: number, j1: number,
  ): void;
  gemmPrepacked(m: number, n: number, k: number, ap: number, bp: number, c: number, ldc: number, work: number, j0: number, j1: number): void;
  packedAFloats(m: number, k: number): number;
  lstmBackCell(bs: number, H: number, acts: number, cPrev: number, tanhC: number, dh: number, dOut: number, dc: number, dG: number): void;
  gruBackCell(
    bs: number, H: number, acts: number, ghN: number, hPrev: number, dh: number, dOut: number, dGi: number, dGh: number, dz: number,
  ): void;
  packRowsA(a: number, lda: number, m: number, k: number, dst: number): void;
  softmaxRows(x: number, out: number, rows: number, cols: number, log: number): void;
  softmaxBackRows(y: number, g: number, out: number, rows: number, cols: number, log: number): void;
  nllLogSoftmaxBackRows(y: number, targets: number, coef: number, out: number, rows: number, cols: number): void;
  columnSums(d: number, rows: number, ld: number, cols: number, acc: number, out: number): void;
  gruStep(
    bs: number, H: number, j0: number, j1: number, hIn: number, ap: number, bp: number, gi: number, gh: number,
    bhh: number, hOut: number, acts: number, ghN: number, work: number,
  ): void;
  lstmStep(
    bs: number, H: number, j0: number, j1: number, ap: number, bp: number, gi: number, gh: number, bhh: number,
    c: number, hOut: number, acts: number, tanhC: number, work: number,
  ): void;
  rowPackedFloats(n: number, k: number): number;
  packRowB(n: number, k: number, b: number, ldb: number, dst: number): void;
  rowProduct(n: number, k: number, a: number, bp: number, c: number, tmp: number, j0: number, j1: number): void;
}

const PAGE = 65536;
/** Addresses are i32 in the kernels, so scratch stays below 2 GiB. */
const MAX_BYTES = 2 ** 31 - PAGE;
/** The shared memory's maximum in pages (the shared module declares the same). */
const MAX_PAGES = MAX_BYTES / PAGE;
/** GEMM packing buffers start here; operand scratch follows them. */
const WORK_BASE = 1024;

/**
 * The loaded kernels plus one linear memory shared by every call: a fixed GEMM workspace, a
 * pinned area that keeps one packed GEMM operand across calls (it only grows), a resident area
 * (packed weights kept across calls, managed by `residentStore.ts`; moved up when the pinned area
 * grows), then a scratch arena that each kernel call reuses from its start (calls never nest). Over a shared memory,
 * each possible worker thread also gets its own GEMM workspace, and a control block for handing
 * out jobs follows them, before the pinned area.
 */
export class WasmKernels {
  readonly exports: KernelExports;
  /** The compiled module, for worker threads to instantiate over the same (shared) memory. */
  readonly module: WebAssembly.Module;
  /** True when the memory is a shared one that worker threads can run kernels over. */
  readonly shared: boolean;
  /** True for the relaxed-SIMD build (fused multiply-adds in the GEMM micro-kernel). */
  readonly relaxed: boolean;
  /** Byte address of the GEMM packing workspace (`gemmWorkBytes()` long). */
  readonly workBase = WORK_BASE;
  /** Byte address of worker `w`'s GEMM workspace is `workerWork[w]` (empty unless shared). */
  readonly workerWork: readonly number[];
  /** Byte address of the worker control block, `CONTROL_BYTES` long (0 unless shared). */
  readonly controlBase: number;
  /** Byte address of the pinned area (after the GEMM workspaces). */
  readonly pinnedBase: number;
  /** Byte address where per-call scratch begins (moves up when the pinned or resident area grows). */
  scratchBase: number;
  /** Byte address of the resident area (right after the pinned area; moves up with it). */
  residentBase: number;
  /** Length of the resident area in bytes (a multiple of 16). */
  residentBytes = 0;
  /** Id of the operand the pinned area holds now (0: none); ids come from `nextPinId`. */
  pinnedOwner = 0;
  private pinIds = 0;
  private view: Float32Array;

  constructor(exports: KernelExports, module: WebAssembly.Module, shared = false, relaxed = false) {
    this.exports = exports;
    this.module = module;
    this.shared = shared;
    this.relaxed = relaxed;
    const workBytes = align(exports.gemmWorkBytes());
    const workers = shared ? MAX_WORKERS : 0;
    this.workerWork = Array.from({ length: workers }, (_, w) => WORK_BASE + workBytes * (w + 1));
    this.controlBase = shared ? WORK_BASE + workBytes * (workers + 1) : 0;
    this.pinnedBase = align(WORK_BASE + workBytes * (workers + 1) + (shared ? CONTROL_BYTES : 0));
    this.scratchBase = this.pinnedBase;
    this.residentBase = this.pinnedBase;
    this.view = new Float32Array(exports.memory.buffer);
    if (!this.ensure(0)) throw new Error("wasm kernels: could not allocate the GEMM workspace");
  }

  /**
   * Lays out float32 blocks of the given lengths one after another in scratch (each 16-byte
   * aligned) and returns the float32 view with their byte addresses, or null when memory is short.
   */
  layout(lengths: readonly number[]): { mem: Float32Array; at: number[] } | null {
    const at: number[] = [];
    let p = this.scratchBase;
    for (const n of lengths) {
      at.push(p);
      p = align(p + n * 4);
    }
    const mem = this.ensure(p - this.scratchBase);
    return mem ? { mem, at } : null;
  }

  /** A fresh id for an operand that will live in the pinned area (unique per memory, not per backend). */
  nextPinId(): number {
    return ++this.pinIds;
  }

  /**
   * Makes the pinned area at least `bytes` long (moving scratch after it) and returns the float32
   * view, or null when the memory cannot grow that far.
   */
  pin(bytes: number): Float32Array | null {
    const end = align(this.pinnedBase + bytes);
    if (end <= this.residentBase) return this.ensure(0);
    const prevScratch = this.scratchBase;
    const from = this.residentBase;
    this.scratchBase = end + this.residentBytes;
    const mem = this.ensure(0);
    if (!mem) {
      this.scratchBase = prevScratch;
      return null;
    }
    // The resident area keeps its contents: its users address it relative to `residentBase`.
    if (this.residentBytes > 0) mem.copyWithin(end >> 2, from >> 2, (from + this.residentBytes) >> 2);
    this.residentBase = end;
    return mem;
  }

  /**
   * Makes the resident area exactly `bytes` long (rounded up to 16; contents up to the shorter
   * length kept, scratch moved after it) and returns the float32 view, or null (nothing changed)
   * when the memory cannot grow that far.
   */
  reserveResident(bytes: number): Float32Array | null {
    const prev = this.residentBytes;
    this.residentBytes = align(bytes);
    this.scratchBase = this.residentBase + this.residentBytes;
    const mem = this.ensure(0);
    if (!mem) {
      this.residentBytes = prev;
      this.scratchBase = this.residentBase + prev;
    }
    return mem;
  }

  /**
   * Grows the memory so `bytes` of scratch fit after `scratchBase` and returns the float32 view,
   * or null when the memory cannot grow that far (the caller then runs the JS kernel).
   */
  ensure(bytes: number): Float32Array | null {
    const need = this.scratchBase + bytes;
    if (need > MAX_BYTES) return null;
    const mem = this.exports.memory;
    if (need > mem.buffer.byteLength) {
      try {
        mem.grow(Math.ceil((need - mem.buffer.byteLength) / PAGE));
      } catch {
        return null;
      }
    }
    // Growing detaches the old buffer, so the view is rebuilt whenever it no longer matches.
    if (this.view.buffer !== mem.buffer) this.view = new Float32Array(mem.buffer);
    return this.view;
  }
}

/** Rounds a byte address up to 16 so every operand starts on a v128 boundary. */
export function align(bytes: number): number {
  return (bytes + 15) & ~15;
}

/** Smallest valid module that uses a v128 instruction (i8x16.splat + i8x16.popcnt). */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this runtime validates WebAssembly modules that use fixed-width SIMD. */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Smallest valid module that uses a relaxed-SIMD instruction (three i32x4.splat, f32x4.relaxed_madd). */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0,
  65, 0, 253, 17, 65, 0, 253, 17, 65, 0, 253, 17, 253, 133, 2, 11,
]);

/**
 * True when this runtime validates relaxed-SIMD WebAssembly (Chromium; Node 20 only with
 * `--experimental-wasm-relaxed-simd`); the kernels then load in their FMA build unless
 * `RNNKIT_RELAXED_SIMD=0` is set.
 * @example wasmRelaxedSimdSupported() // false on a plain Node 20
 */
export function wasmRelaxedSimdSupported(): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Whether to load the relaxed-SIMD build: supported, and not turned off by `RNNKIT_RELAXED_SIMD=0`. */
function relaxedByDefault(): boolean {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.RNNKIT_RELAXED_SIMD !== "0" && wasmRelaxedSimdSupported();
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A fresh shared memory for the shared module, or null where shared memory is unavailable (no cross-origin isolation). */
function createSharedMemory(): WebAssembly.Memory | null {
  if (typeof SharedArrayBuffer === "undefined") return null;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  } catch {
    return null;
  }
}

/**
 * The module bytes and imports to instantiate: the shared variant over a new shared memory when
 * `shared` and possible, else the one with its own memory; the relaxed-SIMD build when `relaxed`.
 */
function variant(shared: boolean, relaxed: boolean): { bytes: Uint8Array<ArrayBuffer>; imports: WebAssembly.Imports; memory: WebAssembly.Memory | null } {
  const memory = shared ? createSharedMemory() : null;
  if (memory) {
    return { bytes: decodeBase64(relaxed ? KERNELS_SHARED_RELAXED_WASM_BASE64 : KERNELS_SHARED_WASM_BASE64), imports: { env: { memory } }, memory };
  }
  return { bytes: decodeBase64(relaxed ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64), imports: {}, memory: null };
}

/**
 * Compiles and instantiates the embedded kernels asynchronously: the path for browser main
 * threads, which refuse to compile modules over 4 KB synchronously. Over a shared memory when
 * `shared` (default: when `getNumThreads() > 1`) and the runtime allows it, else the module with
 * its own memory (copies in and out of a shared memory are slower); the relaxed-SIMD build when
 * `relaxed` (default: where the runtime supports it); null without SIMD.
 */
export async function loadWasmKernelsAsync(shared = getNumThreads() > 1, relaxed = relaxedByDefault()): Promise<WasmKernels | null> {
  if (!wasmSimdSupported()) return null;
  const useRelaxed = relaxed && wasmRelaxedSimdSupported();
  try {
    const v = variant(shared, useRelaxed);
    const { module, instance } = await WebAssembly.instantiate(v.bytes, v.imports);
    return new WasmKernels(instance.exports as unknown as KernelExports, module, v.memory !== null, useRelaxed);
  } catch {
    return null;
  }
}

/**
 * Compiles and instantiates the embedded kernels synchronously (over a shared memory when
 * `shared`, by default when `getNumThreads() > 1`, and possible; the relaxed-SIMD build when
 * `relaxed`, by default where supported), or returns null when the runtime has no WebAssembly
 * SIMD (or refuses synchronous compilation, as some browser main threads do).
 */
export function loadWasmKernels(shared = getNumThreads() > 1, relaxed = relaxedByDefault()): WasmKernels | null {
  if (!wasmSimdSupported()) return null;
  const useRelaxed = relaxed && wasmRelaxedSimdSupported();
  try {
    const v = variant(shared, useRelaxed);
    const module = new WebAssembly.Module(v.bytes);
    const instance = new WebAssembly.Instance(module, v.imports);
    return new WasmKernels(instance.exports as unknown as KernelExports, module, v.memory !== null, useRelaxed);
  } catch {
    return null;
  }
}
