import { KERNELS_WASM_BASE64 } from "./kernels.wasm.js";

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
    a: number, lda: number, bp: number, beta: number, c: number, ldc: number, work: number,
  ): void;
}

const PAGE = 65536;
/** Addresses are i32 in the kernels, so scratch stays below 2 GiB. */
const MAX_BYTES = 2 ** 31 - PAGE;
/** GEMM packing buffers start here; operand scratch follows them. */
const WORK_BASE = 1024;

/**
 * The loaded kernels plus one linear memory shared by every call: a fixed GEMM workspace, a
 * pinned area that keeps one packed GEMM operand across calls (it only grows), then a scratch
 * arena that each kernel call reuses from its start (calls never nest).
 */
export class WasmKernels {
  readonly exports: KernelExports;
  /** Byte address of the GEMM packing workspace (`gemmWorkBytes()` long). */
  readonly workBase = WORK_BASE;
  /** Byte address of the pinned area (after the GEMM workspace). */
  readonly pinnedBase: number;
  /** Byte address where per-call scratch begins (moves up when the pinned area grows). */
  scratchBase: number;
  /** Id of the operand the pinned area holds now (0: none); ids come from `nextPinId`. */
  pinnedOwner = 0;
  private pinIds = 0;
  private view: Float32Array;

  constructor(exports: KernelExports) {
    this.exports = exports;
    this.pinnedBase = align(WORK_BASE + exports.gemmWorkBytes());
    this.scratchBase = this.pinnedBase;
    this.view = new Float32Array(exports.memory.buffer);
    if (!this.ensure(0)) throw new Error("wasm kernels: could not allocate the GEMM workspace");
  }

  /**
   * Grows the memory so `bytes` of scratch fit after `scratchBase` and returns the float32 view,
   * or null when the memory cannot grow that far (the caller then runs the JS kernel).
   */
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
    if (end <= this.scratchBase) return this.ensure(0);
    const prev = this.scratchBase;
    this.scratchBase = end;
    const mem = this.ensure(0);
    if (!mem) this.scratchBase = prev;
    return mem;
  }

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

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Compiles and instantiates the embedded kernels asynchronously: the path for browser main
 * threads, which refuse to compile modules over 4 KB synchronously. Null without SIMD.
 */
export async function loadWasmKernelsAsync(): Promise<WasmKernels | null> {
  if (!wasmSimdSupported()) return null;
  try {
    const { instance } = await WebAssembly.instantiate(decodeBase64(KERNELS_WASM_BASE64), {});
    return new WasmKernels(instance.exports as unknown as KernelExports);
  } catch {
    return null;
  }
}

/**
 * Compiles and instantiates the embedded kernels synchronously, or returns null when the runtime
 * has no WebAssembly SIMD (or refuses synchronous compilation, as some browser main threads do).
 */
export function loadWasmKernels(): WasmKernels | null {
  if (!wasmSimdSupported()) return null;
  try {
    const module = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    const instance = new WebAssembly.Instance(module, {});
    return new WasmKernels(instance.exports as unknown as KernelExports);
  } catch {
    return null;
  }
}
