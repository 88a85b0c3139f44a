// ONNX Runtime peers: argv = <workload id> <node|web> <threads> [--quick], the ONNX file in
// RNNKIT_BENCH_ONNX (written by exportOnnx.py). onnxruntime-node runs its native CPU provider;
// onnxruntime-web runs its WebAssembly build in Node (single-threaded: numThreads 1 needs no
// cross-origin isolation or worker files). W4 runs the GRU over the whole input; W6 runs one
// step per call and feeds the returned state back in.
import { readFileSync } from "node:fs";
import { defaultOptions, measure, peaks, report } from "../measure.js";
import { workload } from "../workloads.js";

interface OrtTensor { readonly dims: readonly number[] }
interface OrtSession { run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> }
interface Ort {
  Tensor: new (type: "float32", data: Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, opts: Record<string, unknown>): Promise<OrtSession> };
  env: { wasm: { numThreads?: number; simd?: boolean } };
}

function randn(n: number, seed: number): Float32Array {
  // A small LCG + Box-Muller: the values do not change the time of a dense recurrent step.
  let s = seed >>> 0;
  const u = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

async function main(): Promise<void> {
  const [id = "", flavour = "node", threadsArg = "1"] = process.argv.slice(2);
  const quick = process.argv.includes("--quick");
  const threads = Number(threadsArg);
  const w = workload(id);
  const file = process.env.RNNKIT_BENCH_ONNX;
  if (!file) throw new Error("ort peer: RNNKIT_BENCH_ONNX is not set");
  const ort = (flavour === "web" ? await import("onnxruntime-web") : await import("onnxruntime-node")) as unknown as Ort;
  if (flavour === "web") ort.env.wasm.numThreads = threads;
  const session = await ort.InferenceSession.create(readFileSync(file), {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all",
  });
  let step: () => Promise<void>;
  if (w.kind === "infer") {
    const x = new ort.Tensor("float32", randn(w.seq * w.batch * w.inputSize, 1), [w.seq, w.batch, w.inputSize]);
    step = async () => {
      await session.run({ x });
    };
  } else {
    const x = new ort.Tensor("float32", randn(w.inputSize, 1), [1, 1, w.inputSize]);
    const zeros = (): OrtTensor => new ort.Tensor("float32", new Float32Array(w.layers * w.hidden), [w.layers, 1, w.hidden]);
    let h = zeros();
    let c = zeros();
    step = w.cell === "gru"
      ? async () => {
        h = (await session.run({ x, h0: h })).hn!;
      }
      : async () => {
        const r = await session.run({ x, h0: h, c0: c });
        h = r.hn!;
        c = r.cn!;
      };
  }
  const timesMs = await measure(step, defaultOptions(w.kind, quick));
  report({ peer: `onnxruntime-${flavour} ${threads}t`, workload: id, timesMs, ...peaks() });
}

await main();
