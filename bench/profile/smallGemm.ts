// Times the wasm GEMM kernels on one skinny product in isolation: C (m × n) = A (m × k) · Bᵀ with
// B (n × k) packed once by `packGemmB`, A packed per call by `packRowsA`, as a recurrent step
// forms `h · W_hhᵀ`. argv = [n k reps plain|relaxed]; prints µs per product (wall, and CPU time,
// which other load on the machine disturbs less) and GFLOP/s for m = 1..4, 8, 16, 64.
import { loadWasmKernels } from "../../packages/tensor/src/wasm/loader.js";

const n = Number(process.argv[2] ?? 2048);
const k = Number(process.argv[3] ?? 512);
const reps = Number(process.argv[4] ?? 400);
const relaxed = process.argv[5] === "relaxed";
const kernels = loadWasmKernels(false, relaxed);
if (!kernels) throw new Error("smallGemm: no wasm SIMD");
const e = kernels.exports;
const M = 64;
const l = kernels.layout([n * k, e.packedBFloats(n, k), M * k, e.packedAFloats(M, k), M * n])!;
const [pb, pp, pa, pA, pc] = l.at as [number, number, number, number, number];
for (let i = 0; i < n * k; i++) l.mem[(pb >> 2) + i] = Math.sin(i);
for (let i = 0; i < M * k; i++) l.mem[(pa >> 2) + i] = Math.cos(i);
e.packGemmB(1, n, k, pb, k, pp);
console.log(`n=${n} k=${k} ${kernels.relaxed ? "relaxed" : "plain"} build, ${reps} reps`);
for (const m of [1, 2, 3, 4, 8, 16, 64]) {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) {
      e.packRowsA(pa, k, m, k, pA);
      e.gemmPrepacked(m, n, k, pA, pp, pc, n, kernels.workBase, 0, n);
    }
    times.push(((performance.now() - t0) * 1000) / reps);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / reps);
  }
  times.sort((x, y) => x - y);
  cpu.sort((x, y) => x - y);
  const us = times[2]!;
  console.log(`m=${m}: ${us.toFixed(1)} µs (min ${times[0]!.toFixed(1)}, CPU ${cpu[2]!.toFixed(1)}), ${((2 * m * n * k) / us / 1000).toFixed(2)} GFLOP/s, B at ${((n * k * 4) / us / 1000).toFixed(1)} GB/s`);
}
