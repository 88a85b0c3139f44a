// The check behind skinnyGemm.test.ts, run on a kernels instance in this process, in a child
// Node with relaxed SIMD, and (as source text) in Chromium, so it is one self-contained function:
// no runtime imports, no helpers outside it. Products of m = 1..7 rows (the last m % 4 on the narrow
// kernels of asm/skinny.ts) must equal, bit for bit, the same rows inside an 8-row product (all
// on the 4-row tile), through `gemm`, `gemmPacked` and `gemmPrepacked`, over column ranges; and
// stay within the GEMM error bound (k + 4)·ε·Σ|a·b| of the float64 product.
import type { KernelExports } from "../src/wasm/loader.js";

/** The kernel exports the check calls (byte addresses; a type-only import, so the source stays self-contained). */
export type SkinnyExports = Pick<
  KernelExports,
  "memory" | "gemmWorkBytes" | "gemm" | "packedBFloats" | "packGemmB" | "gemmPacked" | "gemmPrepacked" | "packedAFloats" | "packRowsA"
>;

/** What the check found: products run, the first few mismatches, and the worst error ÷ bound (≤ 1 passes). */
export interface SkinnyReport {
  products: number;
  mismatches: string[];
  worstBound: number;
}

/**
 * Runs every case on `e` with its GEMM workspace at byte `work` and operands from byte `base`
 * (the memory grows as needed).
 */
export function skinnyGemmCheck(e: SkinnyExports, work: number, base: number): SkinnyReport {
  let seed = 12345;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return ((seed >>> 8) / 8388608) * 2 - 1;
  };
  const report: SkinnyReport = { products: 0, mismatches: [], worstBound: 0 };
  const M8 = 8;
  // Shapes: k across the KC = 256 block edge, n across the NC = 512 one and the NR = 8 edge.
  const shapes: [number, number][] = [[1, 1], [7, 1], [9, 13], [33, 5], [41, 257], [70, 300], [531, 9], [16, 256]];
  for (const [n, k] of shapes) {
    for (let m = 1; m <= 7; m++) {
      for (const ta of [0, 1]) {
        for (const tb of [0, 1]) {
          // Floats, in order: A (m rows), A (8 rows: the same m, then others), B, C (m), C (8), packed B, packed A (m), packed A (8).
          const sizes = [M8 * k, M8 * k, k * n, M8 * n, M8 * n, e.packedBFloats(n, k), e.packedAFloats(m, k), e.packedAFloats(M8, k)];
          const at: number[] = [];
          let p = base;
          for (const s of sizes) {
            at.push(p);
            p = (p + s * 4 + 15) & ~15;
          }
          if (p > e.memory.buffer.byteLength) e.memory.grow(Math.ceil((p - e.memory.buffer.byteLength) / 65536));
          const mem = new Float32Array(e.memory.buffer);
          const [pa, pa8, pb, pc, pc8, pbp, pap, pap8] = at as [number, number, number, number, number, number, number, number];
          const f = (q: number): number => q >> 2;
          // op(A) (m × k) stored k × m when ta; the 8-row copy holds the same values in its first m rows.
          const lda = ta ? m : k;
          const lda8 = ta ? M8 : k;
          for (let i = 0; i < M8; i++) {
            for (let q = 0; q < k; q++) {
              const v = rand();
              if (i < m) mem[f(pa) + (ta ? q * lda + i : i * lda + q)] = v;
              mem[f(pa8) + (ta ? q * lda8 + i : i * lda8 + q)] = v;
            }
          }
          const ldb = tb ? k : n;
          for (let i = 0; i < k * n; i++) mem[f(pb) + i] = rand();
          const cInit = new Float32Array(M8 * n);
          for (let i = 0; i < M8 * n; i++) cInit[i] = rand();
          const compare = (what: string): void => {
            report.products++;
            for (let i = 0; i < m * n; i++) {
              const x = mem[f(pc) + i]!;
              const y = mem[f(pc8) + i]!;
              if (!Object.is(x, y) && report.mismatches.length < 10) {
                report.mismatches.push(`${what} m=${m} n=${n} k=${k} ta=${ta} tb=${tb} [${Math.floor(i / n)}, ${i % n}]: ${x} vs 8-row ${y}`);
              }
            }
          };
          const bound = (alpha: number, beta: number, what: string): void => {
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                let s = 0;
                let abs = 0;
                for (let q = 0; q < k; q++) {
                  const av = mem[f(pa) + (ta ? q * lda + i : i * lda + q)]!;
                  const bv = mem[f(pb) + (tb ? j * ldb + q : q * ldb + j)]!;
                  s += av * bv;
                  abs += Math.abs(av * bv);
                }
                const c0 = cInit[i * n + j]!;
                const want = alpha * s + beta * c0;
                const tol = (k + 4) * 2 ** -23 * (Math.abs(alpha) * abs + Math.abs(beta * c0)) + 1e-30;
                const r = Math.abs(mem[f(pc) + i * n + j]! - want) / tol;
                if (r > report.worstBound) report.worstBound = r;
                if (!(r <= 1) && report.mismatches.length < 10) report.mismatches.push(`${what} m=${m} n=${n} k=${k}: beyond the GEMM bound (${r})`);
              }
            }
          };
          const resetC = (): void => {
            mem.set(cInit.subarray(0, m * n), f(pc));
            mem.set(cInit, f(pc8));
          };
          // gemm, alpha and beta not 1 or 0.
          resetC();
          e.gemm(ta, tb, m, n, k, 0.75, pa, lda, pb, ldb, 0.5, pc, n, work);
          e.gemm(ta, tb, M8, n, k, 0.75, pa8, lda8, pb, ldb, 0.5, pc8, n, work);
          compare("gemm");
          bound(0.75, 0.5, "gemm");
          // gemmPacked over column ranges (j0 a multiple of 8): whole, halves, one NR panel at a time.
          e.packGemmB(tb, n, k, pb, ldb, pbp);
          const ranges: [number, number][][] = [[[0, n]], [[0, Math.min(n, 8 * Math.ceil(n / 16))], [Math.min(n, 8 * Math.ceil(n / 16)), n]]];
          const panels: [number, number][] = [];
          for (let j = 0; j < n; j += 8) panels.push([j, Math.min(n, j + 8)]);
          ranges.push(panels);
          for (const split of ranges) {
            resetC();
            for (const [j0, j1] of split) {
              e.gemmPacked(ta, m, n, k, -1.5, pa, lda, pbp, 1, pc, n, work, j0, j1);
              e.gemmPacked(ta, M8, n, k, -1.5, pa8, lda8, pbp, 1, pc8, n, work, j0, j1);
            }
            compare(`gemmPacked ${split.length} ranges`);
          }
          bound(-1.5, 1, "gemmPacked");
          // gemmPrepacked (A row-major only) from packRowsA, over the same ranges.
          if (ta === 0) {
            e.packRowsA(pa, k, m, k, pap);
            e.packRowsA(pa8, k, M8, k, pap8);
            for (const split of ranges) {
              resetC();
              for (const [j0, j1] of split) {
                e.gemmPrepacked(m, n, k, pap, pbp, pc, n, work, j0, j1);
                e.gemmPrepacked(M8, n, k, pap8, pbp, pc8, n, work, j0, j1);
              }
              compare(`gemmPrepacked ${split.length} ranges`);
            }
            bound(1, 0, "gemmPrepacked");
          }
        }
      }
    }
  }
  return report;
}
