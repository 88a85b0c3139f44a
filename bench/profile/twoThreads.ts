// Whether this machine gives two threads two cores right now: the two halves (by hidden units) of
// one batch-1 LSTM(512) step, each alone on the caller, then at once on the caller and one worker
// with no pool in between. Concurrent times near the solo ones: a split step will pay (see
// stepSplit.ts); about twice the solo ones: the other core is busy and a split costs instead.
import { Worker } from "node:worker_threads";
import { loadWasmKernels } from "../../packages/tensor/src/wasm/loader.js";
const kernels = loadWasmKernels(true)!;
const e = kernels.exports;
const bs = 1, H = 512, GH = 4 * H;
const l = kernels.layout([e.packedBFloats(GH, H), GH * H, bs * GH, GH, bs * H, bs * H, bs * H, bs * GH, bs * H, bs * GH, e.packedAFloats(bs, H)])!;
const at = l.at;
const [pP, pW, pGi, pB, pH0, pH1, pC, pActs, pT, pGh, pA] = at as [number, number, number, number, number, number, number, number, number, number, number];
e.packRowsA(pH0, H, bs, H, pA);
for (let i = 0; i < GH * H; i++) l.mem[(pW >> 2) + i] = Math.sin(i) * 0.05;
e.packGemmB(1, GH, H, pW, H, pP);
const N = 3000;
const src = `
const { parentPort, workerData } = require("node:worker_threads");
const { module, memory, args, N, flag } = workerData;
const inst = new WebAssembly.Instance(module, { env: { memory } });
const f = inst.exports.lstmStep;
const w = new Int32Array(flag);
for (let i = 0; i < 200; i++) f(...args);
Atomics.store(w, 0, 1);
while (Atomics.load(w, 1) === 0);
const t0 = performance.now();
for (let i = 0; i < N; i++) f(...args);
parentPort.postMessage((performance.now() - t0) * 1000 / N);
`;
const flag = new SharedArrayBuffer(8);
const fw = new Int32Array(flag);
const solo = (j0: number, j1: number, work: number): number => {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) e.lstmStep(bs, H, j0, j1, pA, pP, pGi, pGh, pB, pC, pH1, pActs, pT, work);
  return ((performance.now() - t0) * 1000) / N;
};
console.log("main alone 0..256:", solo(0, 256, kernels.workBase).toFixed(1), "256..512:", solo(256, 512, kernels.workBase).toFixed(1));
const args = [bs, H, 256, 512, pA, pP, pGi, pGh, pB, pC, pH1, pActs, pT, kernels.workerWork[0]!];
const worker = new Worker(src, { eval: true, workerData: { module: kernels.module, memory: e.memory, args, N, flag } });
const done = new Promise<number>((r) => worker.once("message", r));
while (Atomics.load(fw, 0) === 0);
Atomics.store(fw, 1, 1);
const mine = solo(0, 256, kernels.workBase);
console.log("concurrent: main 0..256:", mine.toFixed(1), "worker 256..512:", (await done).toFixed(1));
await worker.terminate();
