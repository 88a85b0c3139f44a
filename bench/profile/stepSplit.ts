// What splitting a recurrent step over worker threads costs and gains, on the kernel exports
// alone: a job with empty chunks (the hand-off itself), and one `lstmStep` / `gruStep` of a given
// batch and hidden size on one thread and split by hidden units over two, posted back to back
// (workers awake) or `gap` µs apart (the caller busy elsewhere in between, as a streaming caller
// is). argv = [cell bs H gapUs reps]; prints µs per call, medians of 7 runs.
import { loadWasmKernels } from "../../packages/tensor/src/wasm/loader.js";
import { ThreadPool } from "../../packages/tensor/src/wasm/threadPool.js";
import { createChunker } from "../../packages/tensor/src/wasm/threads.js";
import { MIN_CHUNK } from "../../packages/tensor/src/thresholds.js";

const cell = process.argv[2] === "gru" ? "gru" : "lstm";
const bs = Number(process.argv[3] ?? 1);
const H = Number(process.argv[4] ?? 512);
const gap = Number(process.argv[5] ?? 0);
const reps = Number(process.argv[6] ?? 300);
const kernels = loadWasmKernels(true)!;
if (!kernels.shared) throw new Error("stepSplit: no shared memory");
const e = kernels.exports;
const pool = new ThreadPool(kernels);
if (!(await pool.whenReady(1))) throw new Error("stepSplit: the worker did not start");
const G = cell === "lstm" ? 4 : 3;
const GH = G * H;
const l = kernels.layout([e.packedBFloats(GH, H), GH * H, bs * GH, GH, bs * H, bs * H, bs * H, bs * GH, bs * H, bs * GH, e.packedAFloats(bs, H)])!;
const [pP, pW, pGi, pB, pH0, pH1, pC, pActs, pT, pGh, pA] = l.at as number[] as [number, number, number, number, number, number, number, number, number, number, number];
for (let i = 0; i < GH * H; i++) l.mem[(pW >> 2) + i] = Math.sin(i) * 0.05;
for (let i = 0; i < bs * GH; i++) l.mem[(pGi >> 2) + i] = Math.cos(i);
e.packGemmB(1, GH, H, pW, H, pP);

function spin(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

function time(label: string, threads: number, body: (chunker: ReturnType<typeof createChunker>) => void): void {
  const chunker = createChunker(kernels, pool, 0, MIN_CHUNK, threads);
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    let busy = 0;
    for (let i = 0; i < reps; i++) {
      if (gap > 0) spin(gap);
      const t0 = performance.now();
      body(chunker);
      busy += performance.now() - t0;
    }
    runs.push((busy * 1000) / reps);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label} ${threads}t: ${runs[3]!.toFixed(1)} µs (min ${runs[0]!.toFixed(1)})`);
}

const step = (c: ReturnType<typeof createChunker>, threads: number): void => {
  e.packRowsA(pH0, H, bs, H, pA);
  if (cell === "lstm") {
    c.chunked("lstmStep", [bs, H, 0, H, pA, pP, pGi, pGh, pB, pC, pH1, pActs, pT, kernels.workBase], 13, threads, H, 8, [[2, 0, 1, 0], [3, 0, 0, 1]]);
  } else {
    c.chunked("gruStep", [bs, H, 0, H, pH0, pA, pP, pGi, pGh, pB, pH1, pActs, pT, kernels.workBase], 13, threads, H, 8, [[2, 0, 1, 0], [3, 0, 0, 1]]);
  }
};
console.log(`${cell} step bs=${bs} H=${H}, gap ${gap} µs, ${reps} calls a run`);
for (const threads of [1, 2]) {
  // An empty job: every chunk is a gemmPrepacked over no columns.
  time("hand-off only", threads, (c) => c.chunked("gemmPrepacked", [1, 8, 8, 0, 0, 0, 8, kernels.workBase, 0, 0], 7, threads, 16, 8, []));
}
for (const threads of [1, 2, 1, 2]) time("step", threads, (c) => step(c, threads));
pool.close();
