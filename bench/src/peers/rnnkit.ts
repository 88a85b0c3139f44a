// rnnkit on one backend ("wasm" or "js"): argv = <workload id> <backend> [--quick].
import * as rk from "rnnkit";
import { NDArray, backend, setBackend, wasmRelaxedSimdSupported } from "@rnnkit/tensor";
import { defaultOptions, measure, peaks, report } from "../measure.js";
import { sampleStep, streamStep } from "../streaming.js";
import { wordLmStep } from "../wordLm.js";
import { gflops, workload, type Workload } from "../workloads.js";

type Tensor = rk.Tensor;

function randData(n: number, seed: number): Float32Array {
  const g = new rk.Generator(seed);
  const out = new Float32Array(n);
  g.fillNormal(out);
  return out;
}

/** The three layers of every training workload, behind one forward. */
function trainStep(w: Workload): () => void {
  rk.manualSeed(0);
  const emb = new rk.nn.Embedding(w.vocab, w.embedding);
  const opts = { numLayers: w.layers, batchFirst: w.id === "W1" };
  const rnn = w.cell === "lstm" ? new rk.nn.LSTM(w.embedding, w.hidden, opts) : new rk.nn.RNN(w.embedding, w.hidden, opts);
  const fc = new rk.nn.Linear(w.hidden, w.vocab);
  const params = [...emb.parameters(), ...rnn.parameters(), ...fc.parameters()];
  const opt = new rk.optim.Adam(params, { lr: w.lr });
  const lossFn = new rk.nn.CrossEntropyLoss();
  // W1 is the exercise's batch-first (1, 5) sequence; the char-LMs are (seq, batch).
  const shape = w.id === "W1" ? [w.batch, w.seq] : [w.seq, w.batch];
  const x = w.id === "W1" ? rk.tensor([[2, 0, 1, 1, 3]], { dtype: "int32" }) : rk.randint(0, w.vocab, shape);
  const y = w.id === "W1" ? rk.tensor([3, 2, 1, 3, 1], { dtype: "int32" }) : rk.randint(0, w.vocab, [w.seq * w.batch]);
  return () => {
    opt.zeroGrad();
    // The ids and their embedding go to the layer together: it projects the table once instead of
    // every looked-up row (rnnkit's explicit Embedding → RNN fusion, nn.EmbeddedSequence).
    const e = new rk.nn.EmbeddedSequence(emb, x);
    const out = w.cell === "lstm" ? (rnn as rk.nn.LSTM).forward(e)[0] : (rnn as rk.nn.RNN).forward(e)[0];
    const logits = fc.forward(out.reshape([-1, w.hidden]));
    const loss: Tensor = lossFn.forward(logits, y);
    loss.backward();
    opt.step();
  };
}

function inferStep(w: Workload): () => void {
  rk.manualSeed(0);
  const gru = new rk.nn.GRU(w.inputSize, w.hidden);
  const x = rk.randn([w.seq, w.batch, w.inputSize]);
  return () => {
    rk.noGrad(() => gru.forward(x));
  };
}

function gemmStep(w: Workload): () => void {
  const a = new NDArray(randData(w.n * w.n, 1), [w.n, w.n]);
  const b = new NDArray(randData(w.n * w.n, 2), [w.n, w.n]);
  return () => {
    backend().matmul(a, b);
  };
}

async function main(): Promise<void> {
  const [id = "", be = "wasm"] = process.argv.slice(2);
  const quick = process.argv.includes("--quick");
  setBackend(be === "js" ? "js" : "wasm");
  const w = workload(id);
  const step =
    w.kind === "gemm" ? gemmStep(w)
    : w.kind === "infer" ? inferStep(w)
    : w.kind === "wordlm" ? wordLmStep(rk).step
    : w.kind === "stream" ? streamStep(rk, w)
    : w.kind === "sample" ? sampleStep(rk, w).step
    : trainStep(w);
  const timesMs = await measure(step, defaultOptions(w.kind, quick));
  const med = timesMs.slice().sort((p, q) => p - q)[timesMs.length >> 1]!;
  const rate = w.kind === "gemm" ? `${gflops(w.n, med).toFixed(1)} GFLOP/s` : w.kind === "sample" ? `${Math.round(1000 / med)} chars/s` : "";
  // The wasm kernels load their FMA (relaxed-SIMD) build wherever the engine validates it.
  const fma = be === "wasm" && wasmRelaxedSimdSupported() && process.env.RNNKIT_RELAXED_SIMD !== "0" ? "FMA build" : "";
  const note = [rate, fma].filter(Boolean).join("; ") || undefined;
  report({ peer: `rnnkit (${be})`, workload: id, timesMs, ...peaks(), ...(note ? { note } : {}) });
}

await main();
