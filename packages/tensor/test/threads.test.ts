// The threaded wasm path: large GEMMs cut into row or column chunks that worker threads claim
// over a shared memory. Every split product must equal the one-thread product bit for bit (each
// element keeps its k-order), whatever the shape, transposes, alpha, beta or leading dims.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Generator, getNumThreads, jsBackend, setNumThreads, type Backend } from "@rnnkit/tensor";
import { KERNELS_SHARED_WASM_BASE64 } from "../src/wasm/kernels.wasm.js";
import { loadWasmKernels } from "../src/wasm/loader.js";
import { ThreadPool } from "../src/wasm/threadPool.js";
import { createWasmBackend } from "../src/wasm/wasmBackend.js";
import { splitBounds } from "../src/wasm/splitBounds.js";
import { createChunker } from "../src/wasm/threads.js";
import { STEP_SPLIT_MIN_MACS, THREAD_SPLIT_MIN_MACS } from "../src/thresholds.js";

const shared = loadWasmKernels(true)!;
const plain = loadWasmKernels(false)!;
const pool = new ThreadPool(shared);
/** Splits every product of 16 multiply-adds or more, so small and edge shapes take the split path. */
const threaded = createWasmBackend(shared, jsBackend, { pool, minSplit: 16, threads: 3, minChunk: 1 });
const single = createWasmBackend(plain, jsBackend);
const ready = await pool.whenReady(2);
afterAll(() => pool.close());

const gen = new Generator(99);
function randn(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gen.normal();
  return out;
}

/** Element-wise identity, NaN and signed zero included. */
function expectSame(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) throw new Error(`[${i}]: ${got[i]} vs one-thread ${want[i]}`);
}

/** A plain m×n×k product (random operands) on `backend` equals the one-thread product bit for bit. */
function expectPlainGemmLikeSingle(backend: Backend, m: number, n: number, k: number): void {
  const a = randn(m * k);
  const b = randn(k * n);
  const got = new Float32Array(m * n);
  const want = new Float32Array(m * n);
  backend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, got, 0, n);
  single.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, want, 0, n);
  expectSame(got, want);
}

describe("shared kernels module", () => {
  it("loads over a shared memory, and the module with its own memory stays available", () => {
    expect(shared.shared).toBe(true);
    expect(shared.exports.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(plain.shared).toBe(false);
    expect(shared.workerWork.length).toBe(7);
    expect(shared.pinnedBase).toBeGreaterThan(shared.controlBase);
  });

  it("instantiating it again over the same memory overwrites nothing the host laid out", () => {
    const host = loadWasmKernels(true)!;
    const mem = host.exports.memory;
    host.ensure(1 << 20);
    const bytes = new Uint8Array(mem.buffer);
    // Below the host's first buffer lies the module's static data (its constant table), which
    // every instantiation writes with the same bytes: the whole memory must come out unchanged.
    for (let i = host.workBase; i < bytes.length; i += 7) bytes[i] = (i * 31) & 255;
    const before = bytes.slice();
    const bin = Uint8Array.from(atob(KERNELS_SHARED_WASM_BASE64), (ch) => ch.charCodeAt(0));
    const module = new WebAssembly.Module(bin);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    new WebAssembly.Instance(module, { env: { memory: mem } });
    expectSame(new Float32Array(bytes.buffer, 0, bytes.length >> 2), new Float32Array(before.buffer, 0, before.length >> 2));
  });
});

describe("splitBounds", () => {
  it("cuts at multiples of the unit and drops empty pieces", () => {
    expect(splitBounds(100, 2, 8)).toEqual([0, 48, 100]);
    expect(splitBounds(1024, 8, 8)).toEqual([0, 128, 256, 384, 512, 640, 768, 896, 1024]);
    expect(splitBounds(9, 4, 8)).toEqual([0, 8, 9]);
    expect(splitBounds(5, 3, 8)).toEqual([0, 5]);
  });
});

describe("threaded GEMM", () => {
  it("has workers ready (Node 20 has worker_threads and shared memory)", () => {
    expect(ready).toBe(true);
    expect(pool.available(2)).toBe(2);
  });

  const shapes: [number, number, number][] = [
    [67, 130, 300], [130, 67, 300], [33, 600, 20], [600, 33, 20], [129, 9, 257], [9, 129, 257], [64, 1000, 1], [300, 300, 600],
  ];
  for (const [m, n, k] of shapes) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m}×${n}×${k} transA=${ta} transB=${tb} equals one thread bit for bit (alpha, beta, strides)`, () => {
        const run = vi.spyOn(pool, "run");
        const lda = (ta ? m : k) + 3;
        const ldb = (tb ? k : n) + 5;
        const ldc = n + 2;
        const a = randn(4 + (ta ? k : m) * lda);
        const b = randn(1 + (tb ? n : k) * ldb);
        for (const [alpha, beta] of [[1, 0], [-0.75, 1.5], [2, 1]] as const) {
          const c0 = randn(3 + m * ldc);
          if (beta === 0) c0.fill(NaN);
          const want = c0.slice();
          const got = c0.slice();
          single.gemm(ta, tb, m, n, k, alpha, a, 4, lda, b, 1, ldb, beta, want, 3, ldc);
          threaded.gemm(ta, tb, m, n, k, alpha, a, 4, lda, b, 1, ldb, beta, got, 3, ldc);
          expectSame(got, want);
        }
        expect(run).toHaveBeenCalled();
        run.mockRestore();
      });
    }
  }

  for (const [n, k] of [[1024, 256], [768, 256], [77, 300], [520, 33]] as const) {
    for (const tb of [false, true]) {
      it(`prepared op(B) ${k}×${n} transB=${tb}: column chunks equal one thread bit for bit`, () => {
        const run = vi.spyOn(pool, "run");
        const ldb = (tb ? k : n) + 1;
        const b = randn((tb ? n : k) * ldb);
        const p1 = single.prepareGemmB(tb, n, k, b, 0, ldb);
        const pt = threaded.prepareGemmB(tb, n, k, b, 0, ldb);
        for (const m of [1, 5, 16, 32, 61]) {
          const a = randn(2 + m * (k + 1));
          const want = new Float32Array(m * (n + 3)).fill(NaN);
          const got = want.slice();
          p1.gemm(m, a, 2, k + 1, want, 0, n + 3);
          pt.gemm(m, a, 2, k + 1, got, 0, n + 3);
          expectSame(got, want);
        }
        expect(run).toHaveBeenCalled();
        run.mockRestore();
      });
    }
  }

  it("the default threshold keeps small products on the calling thread and splits large ones", () => {
    const backend = createWasmBackend(shared, jsBackend, { pool, threads: 2 });
    const run = vi.spyOn(pool, "run");
    const [m, n, k] = [16, 64, 64];
    backend.gemm(false, false, m, n, k, 1, randn(m * k), 0, k, randn(k * n), 0, n, 0, new Float32Array(m * n), 0, n);
    expect(run).not.toHaveBeenCalled();
    expectPlainGemmLikeSingle(backend, 64, 512, 256);
    expect(run).toHaveBeenCalledTimes(1);
    run.mockRestore();
  });

  it("recurrent steps split from STEP_SPLIT_MIN_MACS, products from the chunker's threshold (the lower one wins)", () => {
    const chunker = createChunker(shared, pool, THREAD_SPLIT_MIN_MACS, 256, 2);
    expect(STEP_SPLIT_MIN_MACS).toBeLessThan(THREAD_SPLIT_MIN_MACS);
    expect(chunker.threadsForStep(STEP_SPLIT_MIN_MACS - 1)).toBe(1);
    expect(chunker.threadsForStep(STEP_SPLIT_MIN_MACS)).toBe(2);
    expect(chunker.threadsFor(STEP_SPLIT_MIN_MACS)).toBe(1);
    expect(chunker.threadsFor(THREAD_SPLIT_MIN_MACS)).toBe(2);
    // Tests that force splits with a tiny product threshold split steps from it too.
    expect(createChunker(shared, pool, 16, 1, 2).threadsForStep(16)).toBe(2);
    expect(createChunker(shared, null, 16, 1, 2).threadsForStep(STEP_SPLIT_MIN_MACS)).toBe(1);
  });

  it("setNumThreads(1) runs everything on the calling thread", () => {
    const backend = createWasmBackend(shared, jsBackend, { pool, minSplit: 16, minChunk: 1 });
    const run = vi.spyOn(pool, "run");
    const prev = getNumThreads();
    setNumThreads(1);
    try {
      const c = new Float32Array(100 * 100);
      backend.gemm(false, false, 100, 100, 100, 1, randn(10000), 0, 100, randn(10000), 0, 100, 0, c, 0, 100);
      expect(run).not.toHaveBeenCalled();
      setNumThreads(2);
      backend.gemm(false, false, 100, 100, 100, 1, randn(10000), 0, 100, randn(10000), 0, 100, 0, c, 0, 100);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      setNumThreads(prev);
      run.mockRestore();
    }
  });

  it("a chunk that traps, on a worker or here, throws on the caller; the pool keeps working", () => {
    // A 4×8×8 product per chunk whose A address grows with the chunk: only the last one reads
    // past the end of memory, whichever thread claims it.
    const size = shared.exports.memory.buffer.byteLength;
    const scratch = shared.scratchBase;
    const base = [0, 0, 4, 8, 8, 1, 0, 8, scratch, 8, 0, scratch + 4096, 8, 0];
    const loCoef = base.map((_, i) => (i === 6 ? Math.floor(size / 40) : 0));
    const job = { op: "gemm" as const, base, loCoef, hiCoef: base.map(() => 0), workArg: 13, bounds: [0, 16, 32, 48, 64] };
    for (let round = 0; round < 5; round++) expect(() => pool.run(job)).toThrow(WebAssembly.RuntimeError);
    expectPlainGemmLikeSingle(threaded, 200, 70, 90);
  });
});

describe("without workers", () => {
  const failing: [string, ConstructorParameters<typeof ThreadPool>[1]][] = [
    ["the runtime has no threads (spawner returns null)", () => null],
    ["starting a worker throws", () => {
      throw new Error("no workers here");
    }],
  ];
  for (const [what, spawn] of failing) {
    it(`keeps working single-threaded when ${what}`, async () => {
      const kernels = loadWasmKernels(true)!;
      const lonely = new ThreadPool(kernels, spawn);
      const backend: Backend = createWasmBackend(kernels, jsBackend, { pool: lonely, minSplit: 16 });
      expect(await lonely.whenReady(2, 50)).toBe(false);
      expectPlainGemmLikeSingle(backend, 50, 30, 40);
    });
  }
});

describe("process lifetime", () => {
  it("a Node process with live workers still exits on its own", () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "exitWithWorkers.ts");
    const r = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect(r.stdout.trim()).toBe("ok");
    expect(r.status).toBe(0);
  });
});

describe("setNumThreads / getNumThreads", () => {
  it("takes integers ≥ 1, caps at 8, and names bad input", () => {
    const prev = getNumThreads();
    try {
      setNumThreads(2);
      expect(getNumThreads()).toBe(2);
      setNumThreads(64);
      expect(getNumThreads()).toBe(8);
      expect(() => setNumThreads(0)).toThrow("setNumThreads: expected an integer ≥ 1, got 0");
      expect(() => setNumThreads(1.5)).toThrow("setNumThreads: expected an integer ≥ 1, got 1.5");
    } finally {
      setNumThreads(prev);
    }
  });

  it("names a bad RNNKIT_NUM_THREADS as written, and takes a good one", async () => {
    const saved = process.env.RNNKIT_NUM_THREADS;
    try {
      for (const [value, expected] of [["abc", null], ["0", null], ["3", 3]] as const) {
        process.env.RNNKIT_NUM_THREADS = value;
        vi.resetModules();
        const fresh = await import("../src/wasm/numThreads.js");
        if (expected === null) {
          expect(() => fresh.getNumThreads()).toThrow(`RNNKIT_NUM_THREADS: expected an integer ≥ 1, got "${value}"`);
        } else {
          expect(fresh.getNumThreads()).toBe(expected);
        }
      }
    } finally {
      if (saved === undefined) delete process.env.RNNKIT_NUM_THREADS;
      else process.env.RNNKIT_NUM_THREADS = saved;
      vi.resetModules();
    }
  });
});
