// Run by relaxedSimd.test.ts in a child Node started with --experimental-wasm-relaxed-simd: loads
// the kernels as the library would there, runs GEMMs of edge shapes through the relaxed build
// (one thread, and split over two workers) and the plain build, and prints one JSON line.
import { Generator, jsBackend, wasmRelaxedSimdSupported } from "@rnnkit/tensor";
import { loadWasmKernels } from "../src/wasm/loader.js";
import { ThreadPool } from "../src/wasm/threadPool.js";
import { createWasmBackend } from "../src/wasm/wasmBackend.js";

const gen = new Generator(99);
function randn(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gen.normal();
  return out;
}

const byDefault = loadWasmKernels(false)!;
const relaxed = createWasmBackend(byDefault, jsBackend);
const plain = createWasmBackend(loadWasmKernels(false, false)!, jsBackend);
const sharedKernels = loadWasmKernels(true, true)!;
const pool = new ThreadPool(sharedKernels);
if (!(await pool.whenReady(2))) throw new Error("relaxed child: the worker threads did not start");
const threaded = createWasmBackend(sharedKernels, jsBackend, { pool, minSplit: 16, threads: 3, minChunk: 1 });

const shapes: [number, number, number, boolean, boolean][] = [
  [4, 8, 256, false, false], [67, 130, 300, true, false], [129, 9, 257, false, true], [50, 600, 20, true, true], [256, 256, 512, false, true],
];
const cases = shapes.map(([m, n, k, ta, tb]) => {
  const a = randn(m * k);
  const b = randn(k * n);
  const lda = ta ? m : k;
  const ldb = tb ? k : n;
  const run = (be: typeof plain): Float32Array => {
    const c = new Float32Array(m * n);
    be.gemm(ta, tb, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n);
    return c;
  };
  const r = run(relaxed);
  const p = run(plain);
  const t = run(threaded);
  // Worst |error| / (k + 4)·ε·Σ|a·b| against float64: ≤ 1 is the GEMM error bound, which a fused
  // multiply-add (one rounding where a multiply and an add have two) can only tighten.
  let worstRelaxed = 0;
  let worstPlain = 0;
  let differ = 0;
  let threadsSame = true;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let q = 0; q < k; q++) {
        const av = ta ? a[q * lda + i]! : a[i * lda + q]!;
        const bv = tb ? b[j * ldb + q]! : b[q * ldb + j]!;
        s += av * bv;
        abs += Math.abs(av * bv);
      }
      const tol = (k + 4) * 2 ** -23 * abs + 1e-30;
      const o = i * n + j;
      worstRelaxed = Math.max(worstRelaxed, Math.abs(r[o]! - s) / tol);
      worstPlain = Math.max(worstPlain, Math.abs(p[o]! - s) / tol);
      if (r[o] !== p[o]) differ++;
      if (!Object.is(r[o], t[o])) threadsSame = false;
    }
  }
  return { shape: [m, n, k, ta, tb], worstRelaxed, worstPlain, differ, threadsSame };
});
pool.close();
console.log(`RELAXED ${JSON.stringify({ supported: wasmRelaxedSimdSupported(), defaultRelaxed: byDefault.relaxed, sharedRelaxed: sharedKernels.relaxed, cases })}`);
