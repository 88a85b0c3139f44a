// brain.js 1.x recurrent nets: argv = <workload id> [--quick]. brain.js has no batches, no Adam
// and no dense-input GRU, so its rows are the nearest equivalent, named in the row's note:
// a training step is one trainPattern (forward, BPTT, its RMSprop update) per sequence of the
// batch; brain's input layer is an embedding lookup (inputRange × inputSize), and its model
// predicts the next index of the same sequence.
import { createRequire } from "node:module";
import { defaultOptions, measure, peaks, report } from "../measure.js";
import { workload, type Workload } from "../workloads.js";

interface BrainNet {
  initialize(): void;
  trainOpts: { learningRate: number };
  trainPattern(input: number[]): number | undefined;
  trainInput(input: number[]): number;
}
type BrainCtor = new (opts: { inputSize: number; inputRange: number; hiddenLayers: number[]; outputSize: number }) => BrainNet;
interface BrainModule {
  recurrent: { RNN: BrainCtor; LSTM: BrainCtor; GRU: BrainCtor };
}

const brain = createRequire(import.meta.url)("brain.js") as BrainModule;

/** Deterministic index sequences (a small LCG) so every run trains on the same data. */
function sequences(count: number, length: number, range: number): number[][] {
  let s = 12345;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % range;
  };
  return Array.from({ length: count }, () => Array.from({ length }, next));
}

function build(w: Workload): { net: BrainNet; data: number[][]; note: string } {
  if (w.kind === "infer") {
    const net = new brain.recurrent.GRU({ inputSize: w.inputSize, inputRange: w.inputSize, hiddenLayers: [w.hidden], outputSize: w.inputSize + 1 });
    net.initialize();
    return { net, data: sequences(w.batch, w.seq, w.inputSize), note: "forward of 16 sequences one at a time, index input, with its output layer" };
  }
  const Ctor = w.cell === "lstm" ? brain.recurrent.LSTM : brain.recurrent.RNN;
  const net = new Ctor({ inputSize: w.embedding, inputRange: w.vocab, hiddenLayers: new Array<number>(w.layers).fill(w.hidden), outputSize: w.vocab + 1 });
  net.initialize();
  net.trainOpts = { learningRate: w.lr };
  const data = w.id === "W1" ? [[2, 0, 1, 1, 3]] : sequences(w.batch, w.seq, w.vocab);
  return { net, data, note: "one trainPattern per sequence (no batching), RMSprop" };
}

async function main(): Promise<void> {
  const [id = ""] = process.argv.slice(2);
  const quick = process.argv.includes("--quick");
  const w = workload(id);
  if (w.kind === "gemm") throw new Error("brain.js has no standalone matrix product to time");
  const { net, data, note } = build(w);
  const step = w.kind === "infer" ? () => data.forEach((seq) => net.trainInput(seq)) : () => data.forEach((seq) => net.trainPattern(seq));
  const timesMs = await measure(step, defaultOptions(w.kind, quick));
  report({ peer: "brain.js", workload: id, timesMs, ...peaks(), note });
}

await main();
