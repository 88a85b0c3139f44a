// TensorFlow.js on its "cpu" or "wasm" backend: argv = <workload id> <backend> [--quick].
// The layers API builds the same networks: Embedding → SimpleRNN/LSTM (stacked, full sequences)
// → Dense on every step, sparse categorical cross-entropy on logits, Adam.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defaultOptions, measure, peaks, report } from "../measure.js";
import { gflops, workload, type Workload } from "../workloads.js";

/**
 * tfjs-backend-wasm lacks the UnsortedSegmentSum kernel an Embedding's gradient needs, so on
 * wasm the lookup is the same product written as one-hot input · a bias-free Dense.
 */
function trainStep(w: Workload, oneHotInput: boolean): () => Promise<void> {
  const model = tf.sequential();
  if (oneHotInput) {
    model.add(tf.layers.dense({ units: w.embedding, useBias: false, inputShape: [w.seq, w.vocab] }));
  } else {
    model.add(tf.layers.embedding({ inputDim: w.vocab, outputDim: w.embedding, inputLength: w.seq }));
  }
  for (let l = 0; l < w.layers; l++) {
    // glorotUniform instead of the default orthogonal init, which tfjs computes slowly in JS at build time.
    const spec = { units: w.hidden, returnSequences: true, recurrentInitializer: "glorotUniform" as const };
    model.add(w.cell === "lstm" ? tf.layers.lstm(spec) : tf.layers.simpleRNN(spec));
  }
  model.add(tf.layers.dense({ units: w.vocab }));
  model.compile({
    optimizer: tf.train.adam(w.lr),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  // tfjs recurrent layers are batch-major: (batch, seq).
  const ids = w.id === "W1" ? tf.tensor2d([[2, 0, 1, 1, 3]], undefined, "int32") : tf.randomUniform([w.batch, w.seq], 0, w.vocab, "int32");
  const x = oneHotInput ? tf.oneHot(ids, w.vocab).toFloat() : ids.toFloat();
  // Targets go in one-hot: tfjs checks them against the (batch, seq, vocab) logits.
  const labels = w.id === "W1" ? tf.tensor2d([[3, 2, 1, 3, 1]], undefined, "int32") : tf.randomUniform([w.batch, w.seq], 0, w.vocab, "int32");
  const y = tf.oneHot(labels, w.vocab).toFloat();
  return async () => {
    await model.trainOnBatch(x, y);
  };
}

function inferStep(w: Workload): () => Promise<void> {
  const model = tf.sequential();
  model.add(tf.layers.gru({ units: w.hidden, returnSequences: true, recurrentInitializer: "glorotUniform", inputShape: [w.seq, w.inputSize] }));
  const x = tf.randomNormal([w.batch, w.seq, w.inputSize]);
  return async () => {
    const out = model.predict(x) as tf.Tensor;
    await out.data();
    out.dispose();
  };
}

function gemmStep(w: Workload): () => Promise<void> {
  const a = tf.randomNormal([w.n, w.n]);
  const b = tf.randomNormal([w.n, w.n]);
  return async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
}

async function main(): Promise<void> {
  const [id = "", be = "cpu"] = process.argv.slice(2);
  const quick = process.argv.includes("--quick");
  if (be === "wasm") {
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/"));
  }
  if (!(await tf.setBackend(be))) throw new Error(`tfjs: backend ${be} failed to initialise`);
  await tf.ready();
  const w = workload(id);
  const step = w.kind === "gemm" ? gemmStep(w) : w.kind === "infer" ? inferStep(w) : trainStep(w, be === "wasm");
  const timesMs = await measure(step, defaultOptions(w.kind, quick));
  const note = w.kind === "gemm" ? `${gflops(w.n, timesMs.slice().sort((p, q) => p - q)[timesMs.length >> 1]!).toFixed(1)} GFLOP/s` : undefined;
  const detail = w.kind === "train" && be === "wasm" ? "embedding as one-hot · Dense (no UnsortedSegmentSum on wasm)" : note;
  report({ peer: `tfjs (${be})`, workload: id, timesMs, ...peaks(), ...(detail ? { note: detail } : {}) });
}

await main();
