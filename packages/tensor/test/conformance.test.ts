// One kernel suite, every backend: the JS reference backend and the WASM-SIMD backend run the
// same cases against float64 references (edge shapes, odd sizes, transposed and strided views,
// broadcasting). A backend that cannot load fails here rather than silently falling back.
import { describe, expect, it } from "vitest";
import { Generator, NDArray, jsBackend, setBackend, backend, initWasmBackend, wasmBackend, wasmSimdSupported, type Backend, type UnaryOp } from "@rnnkit/tensor";
import { loadWasmKernels, loadWasmKernelsAsync } from "../src/wasm/loader.js";
import { ThreadPool } from "../src/wasm/threadPool.js";
import { createWasmBackend } from "../src/wasm/wasmBackend.js";

const wasm = wasmBackend();

describe("backend selection", () => {
  it("defaults to wasm, or to what RNNKIT_BACKEND names", () => {
    const env = process.env.RNNKIT_BACKEND;
    expect(backend().name).toBe(env === undefined || env === "" ? "wasm" : env);
  });

  it("loads the wasm backend where WebAssembly SIMD exists (Node 20 has it)", () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(wasm?.name).toBe("wasm");
  });

  it("setBackend accepts names and objects, returns the previous backend, and names bad input", () => {
    const prev = setBackend("js");
    try {
      expect(backend()).toBe(jsBackend);
      expect(setBackend("wasm")).toBe(jsBackend);
      expect(backend()).toBe(wasm);
      expect(() => setBackend("gpu" as "js")).toThrow('setBackend: unknown backend "gpu" (expected "js" or "wasm")');
    } finally {
      setBackend(prev);
    }
  });

  it("initWasmBackend resolves to the wasm backend and keeps an explicit choice", async () => {
    const prev = setBackend("js");
    try {
      expect(await initWasmBackend()).toBe(wasm);
      expect(backend()).toBe(jsBackend);
    } finally {
      setBackend(prev);
    }
  });

  it("the asynchronously compiled module computes what the synchronous one does", async () => {
    const kernels = await loadWasmKernelsAsync();
    expect(kernels).not.toBeNull();
    const asyncBackend = createWasmBackend(kernels!, jsBackend);
    const a = NDArray.from(randn(40 * 30), { shape: [40, 30] });
    const b = NDArray.from(randn(30 * 20), { shape: [30, 20] });
    expect(Array.from(asyncBackend.matmul(a, b).flat())).toEqual(Array.from(wasm!.matmul(a, b).flat()));
  });
  it("two backends over one kernels instance keep their prepared operands apart", async () => {
    const kernels = await loadWasmKernelsAsync();
    const one = createWasmBackend(kernels!, jsBackend);
    const two = createWasmBackend(kernels!, jsBackend);
    const b1 = NDArray.from(randn(256 * 64), { shape: [256, 64] });
    const b2 = NDArray.from(randn(256 * 64), { shape: [256, 64] });
    const a = NDArray.from(randn(16 * 64), { shape: [16, 64] });
    const p1 = one.prepareGemmB(true, 256, 64, b1.flat() as Float32Array, 0, 64);
    const p2 = two.prepareGemmB(true, 256, 64, b2.flat() as Float32Array, 0, 64);
    for (const [p, b] of [[p1, b1], [p2, b2], [p1, b1]] as const) {
      const c = new Float32Array(16 * 256);
      p.gemm(16, a.flat() as Float32Array, 0, 64, c, 0, 256);
      expect(Array.from(c)).toEqual(Array.from(one.matmul(a, b.transpose(0, 1)).flat()));
    }
  });
});

/** The wasm kernels over a shared memory with two workers, splitting every GEMM of 16+ multiply-adds. */
async function threadedBackend(): Promise<Backend> {
  const kernels = loadWasmKernels(true)!;
  const pool = new ThreadPool(kernels);
  if (!(await pool.whenReady(2))) throw new Error("conformance: the worker threads did not start");
  return createWasmBackend(kernels, jsBackend, { pool, minSplit: 16, threads: 3, minChunk: 1 });
}

const BACKENDS: [string, Backend][] = [
  ["js", jsBackend],
  ["wasm", wasm ?? jsBackend],
  ["wasm (own memory)", createWasmBackend(loadWasmKernels(false)!, jsBackend)],
  ["wasm (threads)", await threadedBackend()],
];

const gen = new Generator(1234);
function randn(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = gen.normal();
  return out;
}

/** Float64 GEMM on the same storage layout, plus Σ|terms| per element for an error bound. */
function refGemm(
  ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number,
  a: ArrayLike<number>, aOff: number, lda: number, b: ArrayLike<number>, bOff: number, ldb: number,
  beta: number, c: ArrayLike<number>, cOff: number, ldc: number,
): { value: Float64Array; bound: Float64Array } {
  const value = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const av = ta ? a[aOff + p * lda + i]! : a[aOff + i * lda + p]!;
        const bv = tb ? b[bOff + j * ldb + p]! : b[bOff + p * ldb + j]!;
        s += av * bv;
        abs += Math.abs(av * bv);
      }
      const cv = beta === 0 ? 0 : beta * c[cOff + i * ldc + j]!;
      value[i * n + j] = alpha * s + cv;
      bound[i * n + j] = Math.abs(alpha) * abs + Math.abs(cv);
    }
  }
  return { value, bound };
}

const F32_EPS = 2 ** -23;

describe.each(BACKENDS)("conformance: %s backend", (_name, be) => {
  describe("gemm", () => {
    const sizes: [number, number, number][] = [
      [0, 5, 3], [5, 0, 3], [4, 5, 0], [1, 1, 1], [3, 5, 7], [7, 9, 13], [17, 33, 65],
      [4, 8, 256], [67, 130, 300], [50, 600, 20], [129, 9, 257],
    ];
    const flags: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
    for (const [m, n, k] of sizes) {
      for (const [ta, tb] of flags) {
        it(`${m}×${n}×${k} transA=${ta} transB=${tb}, padded leading dims and offsets`, () => {
          for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25], [0, 0.5]] as const) {
            const aRows = ta ? k : m;
            const aCols = ta ? m : k;
            const bRows = tb ? n : k;
            const bCols = tb ? k : n;
            const lda = aCols + 3;
            const ldb = bCols + 1;
            const ldc = n + 2;
            const a = randn(5 + aRows * lda);
            const b = randn(2 + bRows * ldb);
            const c = randn(7 + m * ldc);
            if (beta === 0) c.fill(NaN);
            const before = c.slice();
            const ref = refGemm(ta, tb, m, n, k, alpha, a, 5, lda, b, 2, ldb, beta, before, 7, ldc);
            be.gemm(ta, tb, m, n, k, alpha, a, 5, lda, b, 2, ldb, beta, c, 7, ldc);
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                const got = c[7 + i * ldc + j]!;
                const want = ref.value[i * n + j]!;
                const tol = (k + 4) * F32_EPS * ref.bound[i * n + j]! + 1e-30;
                if (!(Math.abs(got - want) <= tol)) {
                  throw new Error(`C[${i}, ${j}] = ${got}, want ${want} ± ${tol} (alpha ${alpha}, beta ${beta})`);
                }
              }
            }
            // Padding between rows and before the offset is never written.
            for (let i = 0; i < 7; i++) expect(Object.is(c[i], before[i])).toBe(true);
            for (let i = 0; i < m; i++) {
              for (let j = n; j < ldc && 7 + i * ldc + j < c.length; j++) {
                expect(Object.is(c[7 + i * ldc + j], before[7 + i * ldc + j])).toBe(true);
              }
            }
          }
        });
      }
    }

    it("float64 operands stay float64 and exact on small integers", () => {
      const a = new Float64Array([1, 2, 3, 4, 5, 6]);
      const b = new Float64Array([7, 8, 9, 10, 11, 12]);
      const c = new Float64Array(4);
      be.gemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2);
      expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    });
  });

  describe("prepareGemmB", () => {
    /** Checks `C = A · op(B)` from a prepared operand against the float64 reference, padding untouched. */
    function checkPrepared(
      prepared: ReturnType<Backend["prepareGemmB"]>, tb: boolean, m: number, n: number, k: number,
      b: Float32Array, bOff: number, ldb: number,
    ): void {
      const lda = k + 3;
      const ldc = n + 2;
      const a = randn(5 + m * lda);
      const c = randn(7 + m * ldc);
      c.fill(NaN, 7);
      const before = c.slice();
      const ref = refGemm(false, tb, m, n, k, 1, a, 5, lda, b, bOff, ldb, 0, before, 7, ldc);
      prepared.gemm(m, a, 5, lda, c, 7, ldc);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const got = c[7 + i * ldc + j]!;
          const want = ref.value[i * n + j]!;
          const tol = (k + 4) * F32_EPS * ref.bound[i * n + j]! + 1e-30;
          if (!(Math.abs(got - want) <= tol)) throw new Error(`C[${i}, ${j}] = ${got}, want ${want} ± ${tol}`);
        }
        for (let j = n; j < ldc && 7 + i * ldc + j < c.length; j++) expect(Object.is(c[7 + i * ldc + j], before[7 + i * ldc + j])).toBe(true);
      }
      for (let i = 0; i < 7; i++) expect(Object.is(c[i], before[i])).toBe(true);
    }

    const sizes: [number, number][] = [[1, 1], [5, 3], [13, 7], [64, 32], [130, 65], [600, 20], [33, 300], [520, 260]];
    for (const [n, k] of sizes) {
      for (const tb of [false, true]) {
        it(`op(B) ${k}×${n} transB=${tb}: many products of 0–40 rows, later edits to B ignored`, () => {
          const ldb = (tb ? k : n) + 1;
          const b = randn(2 + (tb ? n : k) * ldb);
          const kept = b.slice();
          const prepared = be.prepareGemmB(tb, n, k, b, 2, ldb);
          expect([prepared.n, prepared.k]).toEqual([n, k]);
          b.fill(7);
          for (const m of [0, 1, 3, 4, 17, 32, 40]) checkPrepared(prepared, tb, m, n, k, kept, 2, ldb);
        });
      }
    }

    it("two prepared operands used in turn each give their own product", () => {
      const [n1, k1, n2, k2] = [512, 128, 128, 512];
      const b1 = randn(n1 * k1);
      const b2 = randn(k2 * n2);
      const p1 = be.prepareGemmB(true, n1, k1, b1, 0, k1);
      const p2 = be.prepareGemmB(false, n2, k2, b2, 0, n2);
      for (let round = 0; round < 3; round++) {
        checkPrepared(p1, true, 32, n1, k1, b1, 0, k1);
        checkPrepared(p2, false, 32, n2, k2, b2, 0, n2);
        // Ordinary GEMMs in between use the same scratch memory.
        const a = randn(20 * 30);
        const bb = randn(30 * 40);
        const c = new Float32Array(20 * 40);
        be.gemm(false, false, 20, 40, 30, 1, a, 0, 30, bb, 0, 40, 0, c, 0, 40);
        const ref = refGemm(false, false, 20, 40, 30, 1, a, 0, 30, bb, 0, 40, 0, c, 0, 40);
        for (let q = 0; q < c.length; q++) expect(Math.abs(c[q]! - ref.value[q]!)).toBeLessThanOrEqual(34 * F32_EPS * ref.bound[q]!);
      }
    });

    it("float64 operands stay float64 and exact on small integers", () => {
      const b = new Float64Array([0, 7, 9, 11, 8, 10, 12]); // Bᵀ rows at offset 1: B = [[7, 8], [9, 10], [11, 12]]
      const prepared = be.prepareGemmB(true, 2, 3, b.subarray(1), 0, 3);
      const c = new Float64Array(4);
      prepared.gemm(2, new Float64Array([1, 2, 3, 4, 5, 6]), 0, 3, c, 0, 2);
      expect(c).toBeInstanceOf(Float64Array);
      expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    });
  });

  describe("recurrent cells", () => {
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    /** Gate inputs of randn·3 with a few saturating values; `wide` rows are G·H long. */
    function gateInputs(n: number): Float32Array {
      const x = randn(n).map((v) => v * 3);
      for (let q = 0; q < n; q += 7) x[q] = q % 2 === 0 ? 30 + q : -30 - q;
      return x;
    }
    const cases: [number, number][] = [[1, 4], [3, 8], [16, 36], [32, 128], [2, 5], [5, 3], [4, 64]];

    for (const [bs, H] of cases) {
      it(`lstmCell ${bs} rows × H ${H}: activations, c, tanh(c), h vs float64`, () => {
        const GH = 4 * H;
        const giOff = 3 * GH;
        const gi = gateInputs(giOff + bs * GH + 5);
        const gh = gateInputs(bs * GH);
        const bhh = randn(GH);
        const c = randn(bs * H);
        const c0 = c.slice();
        const acts = new Float32Array(2 * GH + bs * GH).fill(NaN);
        const tanhC = new Float32Array(H + bs * H).fill(NaN);
        const h = new Float32Array(bs * H);
        be.lstmCell(bs, H, gi, giOff, gh, bhh, c, acts, 2 * GH, tanhC, H, h);
        for (let b = 0; b < bs; b++) {
          for (let j = 0; j < H; j++) {
            const p = [0, 1, 2, 3].map((g) => gi[giOff + b * GH + g * H + j]! + gh[b * GH + g * H + j]! + bhh[g * H + j]!);
            const absP = [0, 1, 2, 3].map((g) => Math.abs(gi[giOff + b * GH + g * H + j]!) + Math.abs(gh[b * GH + g * H + j]!) + Math.abs(bhh[g * H + j]!));
            const want = [sig(p[0]!), sig(p[1]!), Math.tanh(p[2]!), sig(p[3]!)];
            for (let g = 0; g < 4; g++) {
              const got = acts[2 * GH + b * GH + g * H + j]!;
              expect(Math.abs(got - want[g]!)).toBeLessThanOrEqual(16 * F32_EPS * (1 + absP[g]!));
            }
            const [i, f, gg, o] = want as [number, number, number, number];
            const cw = f * c0[b * H + j]! + i * gg;
            const tolC = 16 * F32_EPS * (1 + Math.abs(c0[b * H + j]!) + absP[0]! + absP[1]! + absP[2]!);
            expect(Math.abs(c[b * H + j]! - cw)).toBeLessThanOrEqual(tolC);
            expect(Math.abs(tanhC[H + b * H + j]! - Math.tanh(cw))).toBeLessThanOrEqual(tolC);
            expect(Math.abs(h[b * H + j]! - o * Math.tanh(cw))).toBeLessThanOrEqual(tolC + 16 * F32_EPS * (1 + absP[3]!));
          }
        }
        // Outside the written rows nothing changes.
        for (let q = 0; q < 2 * GH; q++) expect(acts[q]).toBeNaN();
        for (let q = 0; q < H; q++) expect(tanhC[q]).toBeNaN();
      });

      it(`gruCell ${bs} rows × H ${H}: activations, gh_n + b_n, h vs float64`, () => {
        const GH = 3 * H;
        const giOff = 2 * GH;
        const gi = gateInputs(giOff + bs * GH);
        const gh = gateInputs(bs * GH);
        const bhh = randn(GH);
        const h = randn(bs * H);
        const h0 = h.slice();
        const acts = new Float32Array(GH + bs * GH).fill(NaN);
        const ghN = new Float32Array(2 * H + bs * H).fill(NaN);
        be.gruCell(bs, H, gi, giOff, gh, bhh, h, acts, GH, ghN, 2 * H);
        for (let b = 0; b < bs; b++) {
          for (let j = 0; j < H; j++) {
            const at = (x: Float32Array, off: number, g: number): number => x[off + b * GH + g * H + j]!;
            const absRZ = [0, 1].map((g) => Math.abs(at(gi, giOff, g)) + Math.abs(at(gh, 0, g)) + Math.abs(bhh[g * H + j]!));
            const r = sig(at(gi, giOff, 0) + at(gh, 0, 0) + bhh[j]!);
            const z = sig(at(gi, giOff, 1) + at(gh, 0, 1) + bhh[H + j]!);
            const hn = at(gh, 0, 2) + bhh[2 * H + j]!;
            const absN = Math.abs(at(gi, giOff, 2)) + Math.abs(hn) + absRZ[0]! * Math.abs(hn);
            const n = Math.tanh(at(gi, giOff, 2) + r * hn);
            expect(Math.abs(acts[GH + b * GH + j]! - r)).toBeLessThanOrEqual(16 * F32_EPS * (1 + absRZ[0]!));
            expect(Math.abs(acts[GH + b * GH + H + j]! - z)).toBeLessThanOrEqual(16 * F32_EPS * (1 + absRZ[1]!));
            expect(Math.abs(ghN[2 * H + b * H + j]! - hn)).toBeLessThanOrEqual(4 * F32_EPS * (Math.abs(at(gh, 0, 2)) + Math.abs(bhh[2 * H + j]!)));
            expect(Math.abs(acts[GH + b * GH + 2 * H + j]! - n)).toBeLessThanOrEqual(16 * F32_EPS * (1 + absN));
            const hw = n + z * (h0[b * H + j]! - n);
            expect(Math.abs(h[b * H + j]! - hw)).toBeLessThanOrEqual(16 * F32_EPS * (2 + absN + absRZ[1]! + Math.abs(h0[b * H + j]!)));
          }
        }
        for (let q = 0; q < GH; q++) expect(acts[q]).toBeNaN();
        for (let q = 0; q < 2 * H; q++) expect(ghN[q]).toBeNaN();
      });
    }

    /** Values in (0, 1) like saved sigmoid activations, or in (−1, 1) like tanh ones. */
    const unit = (n: number, signed: boolean): Float32Array => randn(n).map((v) => (signed ? Math.tanh(v) : 1 / (1 + Math.exp(-v))));

    for (const [bs, H] of cases) {
      it(`lstmCellBackward ${bs} rows × H ${H}: gate gradients and dc vs float64`, () => {
        const GH = 4 * H;
        const actsOff = 2 * GH;
        const cOff = 3 * H;
        const ldh = H + 3;
        const acts = unit(actsOff + bs * GH, false);
        for (let q = actsOff; q < actsOff + bs * GH; q++) if (Math.floor((q - actsOff) / H) % 4 === 2) acts[q] = 2 * acts[q]! - 1;
        const cPrev = randn(cOff + bs * H);
        const tanhC = unit(cOff + bs * H, true);
        const dh = randn(bs * ldh);
        const dc = randn(bs * H);
        const dc0 = dc.slice();
        const dGates = new Float32Array(actsOff + bs * GH).fill(NaN);
        be.lstmCellBackward(bs, H, acts, actsOff, cPrev, tanhC, cOff, dh, ldh, dc, dGates);
        for (let b = 0; b < bs; b++) {
          for (let j = 0; j < H; j++) {
            const [i, f, g, o] = [0, 1, 2, 3].map((k) => acts[actsOff + b * GH + k * H + j]!) as [number, number, number, number];
            const tc = tanhC[cOff + b * H + j]!;
            const dhv = dh[b * ldh + j]!;
            const dct = dc0[b * H + j]! + dhv * o * (1 - tc * tc);
            const want = [dct * g * i * (1 - i), dct * cPrev[cOff + b * H + j]! * f * (1 - f), dct * i * (1 - g * g), dhv * tc * o * (1 - o)];
            const scale = 1 + Math.abs(dc0[b * H + j]!) + Math.abs(dhv) * (1 + Math.abs(cPrev[cOff + b * H + j]!));
            for (let k = 0; k < 4; k++) {
              expect(Math.abs(dGates[actsOff + b * GH + k * H + j]! - want[k]!)).toBeLessThanOrEqual(16 * F32_EPS * scale);
            }
            expect(Math.abs(dc[b * H + j]! - dct * f)).toBeLessThanOrEqual(16 * F32_EPS * scale);
          }
        }
        for (let q = 0; q < actsOff; q++) expect(dGates[q]).toBeNaN();
      });

      it(`gruCellBackward ${bs} rows × H ${H}: both gate-gradient halves and dh vs float64`, () => {
        const GH = 3 * H;
        const actsOff = GH;
        const sOff = 2 * H;
        const acts = unit(actsOff + bs * GH, false);
        for (let q = actsOff; q < actsOff + bs * GH; q++) if (Math.floor((q - actsOff) / H) % 3 === 2) acts[q] = 2 * acts[q]! - 1;
        const ghN = randn(sOff + bs * H);
        const hPrev = unit(sOff + bs * H, true);
        const dh = randn(bs * H);
        const dh0 = dh.slice();
        const dGi = new Float32Array(actsOff + bs * GH).fill(NaN);
        const dGh = new Float32Array(actsOff + bs * GH).fill(NaN);
        be.gruCellBackward(bs, H, acts, actsOff, ghN, hPrev, sOff, dh, dGi, dGh);
        for (let b = 0; b < bs; b++) {
          for (let j = 0; j < H; j++) {
            const [r, z, n] = [0, 1, 2].map((k) => acts[actsOff + b * GH + k * H + j]!) as [number, number, number];
            const dhv = dh0[b * H + j]!;
            const dn = dhv * (1 - z) * (1 - n * n);
            const dz = dhv * (hPrev[sOff + b * H + j]! - n) * z * (1 - z);
            const dr = dn * ghN[sOff + b * H + j]! * r * (1 - r);
            const scale = 1 + Math.abs(dhv) * (2 + Math.abs(ghN[sOff + b * H + j]!));
            const at = (x: Float32Array, k: number): number => x[actsOff + b * GH + k * H + j]!;
            [dr, dz, dn].forEach((v, k) => expect(Math.abs(at(dGi, k) - v)).toBeLessThanOrEqual(16 * F32_EPS * scale));
            [dr, dz, dn * r].forEach((v, k) => expect(Math.abs(at(dGh, k) - v)).toBeLessThanOrEqual(16 * F32_EPS * scale));
            expect(Math.abs(dh[b * H + j]! - dhv * z)).toBeLessThanOrEqual(4 * F32_EPS * Math.abs(dhv));
          }
        }
        for (let q = 0; q < actsOff; q++) {
          expect(dGi[q]).toBeNaN();
          expect(dGh[q]).toBeNaN();
        }
      });
    }

    it("float64 storage stays float64 and matches the float64 formulas", () => {
      const H = 8;
      const gi = Float64Array.from(randn(4 * H));
      const gh = Float64Array.from(randn(4 * H));
      const bhh = Float64Array.from(randn(4 * H));
      const c = Float64Array.from(randn(H));
      const c0 = c.slice();
      const acts = new Float64Array(4 * H);
      const tanhC = new Float64Array(H);
      const h = new Float64Array(H);
      be.lstmCell(1, H, gi, 0, gh, bhh, c, acts, 0, tanhC, 0, h);
      for (let j = 0; j < H; j++) {
        const p = (g: number): number => gi[g * H + j]! + gh[g * H + j]! + bhh[g * H + j]!;
        const cw = sig(p(1)) * c0[j]! + sig(p(0)) * Math.tanh(p(2));
        expect(c[j]).toBeCloseTo(cw, 12);
        expect(h[j]).toBeCloseTo(sig(p(3)) * Math.tanh(cw), 12);
      }
    });
  });

  describe("matmul", () => {
    function refMatmul(a: NDArray, b: NDArray): number[] {
      // Leading dims broadcast; the reference walks the expanded shapes with get().
      const batch = a.ndim > b.ndim ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
      const bs = batch.map((_, i) => Math.max(a.shape[a.ndim - 2 - batch.length + i] ?? 1, b.shape[b.ndim - 2 - batch.length + i] ?? 1));
      const m = a.shape[a.ndim - 2]!;
      const k = a.shape[a.ndim - 1]!;
      const n = b.shape[b.ndim - 1]!;
      const ea = a.expand([...bs, m, k]);
      const eb = b.expand([...bs, k, n]);
      const nb = bs.reduce((x, y) => x * y, 1);
      const out: number[] = [];
      for (let t = 0; t < nb; t++) {
        const idx: number[] = [];
        let r = t;
        for (let d = bs.length - 1; d >= 0; d--) {
          idx.unshift(r % bs[d]!);
          r = Math.floor(r / bs[d]!);
        }
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += ea.get(...idx, i, p) * eb.get(...idx, p, j);
            out.push(s);
          }
        }
      }
      return out;
    }

    function check(a: NDArray, b: NDArray, shape: number[]): void {
      const out = be.matmul(a, b);
      expect(out.shape).toEqual(shape);
      expect(out.dtype).toBe(a.dtype === "float64" || b.dtype === "float64" ? "float64" : "float32");
      const want = refMatmul(a, b);
      const got = out.flat();
      const k = a.shape[a.ndim - 1]!;
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual((k + 4) * F32_EPS * (1 + Math.abs(want[i]!)) * 4);
    }

    it("plain, 1×1 and 0-size products", () => {
      check(NDArray.from(randn(30 * 40), { shape: [30, 40] }), NDArray.from(randn(40 * 50), { shape: [40, 50] }), [30, 50]);
      check(NDArray.from([[3]]), NDArray.from([[-2]]), [1, 1]);
      check(NDArray.zeros([0, 4]), NDArray.zeros([4, 3]), [0, 3]);
      const empty = be.matmul(NDArray.zeros([3, 0]), NDArray.zeros([0, 2]));
      expect(empty.toArray()).toEqual([[0, 0], [0, 0], [0, 0]]);
    });

    it("transposed and strided (narrowed) views", () => {
      const a = NDArray.from(randn(41 * 33), { shape: [41, 33] });
      const b = NDArray.from(randn(41 * 37), { shape: [41, 37] });
      check(a.transpose(0, 1), b, [33, 37]);
      check(a.transpose(0, 1), b.narrow(1, 3, 29), [33, 29]);
      const big = NDArray.from(randn(20 * 70), { shape: [20, 70] });
      check(big.narrow(1, 5, 33), a.narrow(1, 1, 31).narrow(0, 0, 33), [20, 31]);
      // Every other column: neither layout gemm takes, so the kernel must copy.
      const strided = new NDArray(big.data, [20, 35], [70, 2], 1);
      check(strided, NDArray.from(randn(35 * 9), { shape: [35, 9] }), [20, 9]);
    });

    it("batched with broadcast batch dims, odd sizes", () => {
      check(NDArray.from(randn(2 * 3 * 5 * 7), { shape: [2, 3, 5, 7] }), NDArray.from(randn(7 * 9), { shape: [7, 9] }), [2, 3, 5, 9]);
      check(NDArray.from(randn(3 * 17 * 19), { shape: [3, 1, 17, 19] }), NDArray.from(randn(4 * 19 * 21), { shape: [4, 19, 21] }), [3, 4, 17, 21]);
    });

    it("int32 operands give float32; float64 stays float64", () => {
      const i = NDArray.from([[1, 2], [3, 4]], { dtype: "int32" });
      expect(be.matmul(i, i).toArray()).toEqual([[7, 10], [15, 22]]);
      expect(be.matmul(i, i).dtype).toBe("float32");
      const d = NDArray.from(randn(9 * 11), { shape: [9, 11] }).astype("float64");
      check(d, d.transpose(0, 1), [9, 9]);
    });

    it("names the shapes when they cannot be multiplied", () => {
      expect(() => be.matmul(NDArray.zeros([2, 3]), NDArray.zeros([4, 5]))).toThrow(/matmul: shapes \[2, 3\] and \[4, 5\] cannot be multiplied/);
    });
  });

  describe("unary", () => {
    const specials = [0, -0, 1, -1, 0.5, -0.5, 1e-30, -1e-30, 1e-40, 0.624, 0.626, 9, -9, 20, -20, 80, -80, 88.7, 89, -87.3, -103, -104, -110, 200, -200, Infinity, -Infinity, NaN];
    function values(n: number): Float32Array {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = i < specials.length ? specials[i]! : gen.normal() * (i % 3 === 0 ? 10 : 2);
      return out;
    }
    const REF: Record<string, (x: number) => number> = {
      exp: Math.exp,
      tanh: Math.tanh,
      sigmoid: (x) => 1 / (1 + Math.exp(-x)),
      relu: (x) => (x > 0 ? x : x !== x ? x : 0),
      neg: (x) => -x,
      abs: Math.abs,
      log: Math.log,
      sqrt: Math.sqrt,
    };
    for (const op of Object.keys(REF) as UnaryOp[]) {
      for (const n of [0, 1, 3, 63, 64, 65, 1001]) {
        it(`${op} over ${n} elements is within 4 ulp of float64`, () => {
          const xs = values(n);
          const out = be.unary(op, NDArray.from(xs, { shape: [n] }));
          expect(out.dtype).toBe("float32");
          expect(out.shape).toEqual([n]);
          const got = out.data;
          for (let i = 0; i < n; i++) {
            const want = Math.fround(REF[op]!(xs[i]!));
            const g = got[i]!;
            if (Number.isNaN(want)) {
              expect(g, `${op}(${xs[i]})`).toBeNaN();
              continue;
            }
            const tol = 4 * F32_EPS * Math.abs(want) + 2 ** -148;
            if (!(Math.abs(g - want) <= tol || g === want)) throw new Error(`${op}(${xs[i]}) = ${g}, want ${want}`);
          }
        });
      }
    }

    it("reads transposed views and int32 input", () => {
      const x = NDArray.from(values(12 * 11), { shape: [12, 11] }).transpose(0, 1);
      const got = be.unary("tanh", x);
      const want = jsBackend.unary("tanh", x.copy());
      expect(got.shape).toEqual([11, 12]);
      const g = got.flat();
      const w = want.flat();
      for (let i = 0; i < w.length; i++) {
        if (Number.isNaN(w[i]!)) expect(g[i]).toBeNaN();
        else expect(Math.abs(g[i]! - w[i]!)).toBeLessThanOrEqual(4 * F32_EPS * Math.abs(w[i]!) + 2 ** -148);
      }
      const ints = be.unary("relu", NDArray.from(Int32Array.from({ length: 100 }, (_, i) => i - 50)));
      expect(ints.dtype).toBe("int32");
      expect(ints.data[0]).toBe(0);
      expect(ints.data[99]).toBe(49);
      expect(be.unary("exp", NDArray.from([0, 1], { dtype: "int32" })).dtype).toBe("float32");
    });
  });

  describe("binary", () => {
    const OPS = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y };
    function refBinary(op: keyof typeof OPS, a: NDArray, b: NDArray, shape: number[]): Float32Array {
      const ea = a.expand(shape).copy().flat();
      const eb = b.expand(shape).copy().flat();
      const out = new Float32Array(ea.length);
      for (let i = 0; i < out.length; i++) out[i] = OPS[op](ea[i]!, eb[i]!);
      return out;
    }
    const cases: [string, number[], number[], number[]][] = [
      ["same shape", [9, 13], [9, 13], [9, 13]],
      ["row broadcast", [16, 33], [33], [16, 33]],
      ["row broadcast on the left", [1, 33], [16, 33], [16, 33]],
      ["column broadcast", [16, 1], [16, 33], [16, 33]],
      ["outer", [40, 1], [1, 7], [40, 7]],
      ["scalar right", [5, 31], [], [5, 31]],
      ["scalar left", [1], [3, 67], [3, 67]],
      ["3-D with middle broadcast", [4, 1, 17], [4, 6, 17], [4, 6, 17]],
      ["0-size", [0, 5], [5], [0, 5]],
      ["1×1", [1, 1], [1, 1], [1, 1]],
      ["odd length", [101], [101], [101]],
    ];
    for (const op of Object.keys(OPS) as (keyof typeof OPS)[]) {
      for (const [label, sa, sb, shape] of cases) {
        it(`${op}: ${label} ${JSON.stringify(sa)} ∘ ${JSON.stringify(sb)} is exact`, () => {
          const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
          const a = NDArray.from(randn(size(sa)), { shape: sa });
          const b = NDArray.from(randn(size(sb)), { shape: sb });
          if (op === "div" && b.size > 2) b.data[1] = 0;
          const out = be.binary(op, a, b);
          expect(out.shape).toEqual(shape);
          expect(out.dtype).toBe("float32");
          expect(Array.from(out.flat())).toEqual(Array.from(refBinary(op, a, b, shape)));
        });
      }
    }

    it("strided views (transposed, narrowed) are read correctly", () => {
      const a = NDArray.from(randn(24 * 10), { shape: [24, 10] }).transpose(0, 1);
      const b = NDArray.from(randn(10 * 30), { shape: [10, 30] }).narrow(1, 3, 24);
      for (const op of Object.keys(OPS) as (keyof typeof OPS)[]) {
        expect(Array.from(be.binary(op, a, b).flat())).toEqual(Array.from(refBinary(op, a, b, [10, 24])));
      }
    });

    it("promotes dtypes: int32 with float32 → float32, int32 div → float32, comparisons → int32", () => {
      const i = NDArray.from(Int32Array.from({ length: 80 }, (_, k) => k - 40));
      const f = NDArray.from(randn(80));
      expect(be.binary("add", i, f).dtype).toBe("float32");
      expect(be.binary("add", i, i).dtype).toBe("int32");
      const q = be.binary("div", i, NDArray.from([3], { dtype: "int32" }));
      expect(q.dtype).toBe("float32");
      expect(q.data[0]).toBe(Math.fround(-40 / 3));
      expect(be.binary("lt", f, i).dtype).toBe("int32");
    });

    it("names the op and shapes when broadcasting fails", () => {
      expect(() => be.binary("add", NDArray.zeros([3, 4]), NDArray.zeros([5]))).toThrow("add: shapes [3, 4] and [5] cannot be broadcast");
      expect(() => be.binary("mul", NDArray.zeros([70, 4]), NDArray.zeros([70, 3]), "mul")).toThrow(/mul: shapes \[70, 4\] and \[70, 3\]/);
    });
  });

  describe("axpy", () => {
    for (const n of [0, 1, 7, 64, 257]) {
      for (const alpha of [1, -0.5, 0.1, 3]) {
        it(`a + ${alpha}·b over ${n} elements rounds once from float64`, () => {
          const a = NDArray.from(randn(n));
          const b = NDArray.from(randn(n));
          const out = be.axpy(a, b, alpha);
          expect(out.shape).toEqual([n]);
          const want = Array.from(a.data, (x, i) => Math.fround(x + alpha * b.data[i]!));
          expect(Array.from(out.data)).toEqual(want);
        });
      }
    }

    it("broadcasts like add", () => {
      const a = NDArray.from(randn(12 * 8), { shape: [12, 8] });
      const b = NDArray.from(randn(8), { shape: [8] });
      const out = be.axpy(a, b, -2);
      expect(out.shape).toEqual([12, 8]);
      expect(out.get(5, 3)).toBe(Math.fround(a.get(5, 3) + -2 * b.get(3)));
    });
  });
});
