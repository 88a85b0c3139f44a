/** The workloads every peer runs, with identical sizes. Times are per training step unless noted. */
export interface Workload {
  id: string;
  title: string;
  /**
   * "train": forward + backward + Adam step; "infer": forward only; "gemm": one float32 C = A·B;
   * "wordlm": the word_language_model step (NLLLoss of log_softmax, clip, SGD); "stream": one
   * batch-1 time step with carried state under no-grad; "sample": characters generated per second.
   */
  kind: "train" | "infer" | "gemm" | "wordlm" | "stream" | "sample";
  cell: "rnn" | "lstm" | "gru" | "none";
  vocab: number;
  embedding: number;
  inputSize: number;
  hidden: number;
  layers: number;
  seq: number;
  batch: number;
  lr: number;
  /** Square GEMM size for kind "gemm". */
  n: number;
  /** Dropout of the word LM (between layers and around the LSTM). */
  dropout: number;
  /** Gradient-norm clip of the word LM. */
  clip: number;
}

const base = { vocab: 0, embedding: 0, inputSize: 0, hidden: 0, layers: 1, seq: 0, batch: 0, lr: 0, n: 0, dropout: 0, clip: 0 };

export const WORKLOADS: Workload[] = [
  { ...base, id: "W1", title: "tiny hello→ohlol: Embedding(4,10)→RNN(10,8,2 layers)→Linear(8,4), seq 5, batch 1, Adam", kind: "train", cell: "rnn", vocab: 4, embedding: 10, hidden: 8, layers: 2, seq: 5, batch: 1, lr: 0.05 },
  { ...base, id: "W2", title: "char-LM: Embedding(65,64)→LSTM(64,128)→Linear(128,65), seq 32, batch 32, Adam", kind: "train", cell: "lstm", vocab: 65, embedding: 64, hidden: 128, layers: 1, seq: 32, batch: 32, lr: 0.002 },
  { ...base, id: "W3", title: "char-LM: Embedding(65,128)→LSTM(128,256,2 layers)→Linear(256,65), seq 64, batch 32, Adam", kind: "train", cell: "lstm", vocab: 65, embedding: 128, hidden: 256, layers: 2, seq: 64, batch: 32, lr: 0.002 },
  { ...base, id: "W4", title: "GRU(128,256) inference, seq 100, batch 16, forward only", kind: "infer", cell: "gru", inputSize: 128, hidden: 256, seq: 100, batch: 16 },
  { ...base, id: "W5a", title: "GEMM 512³ float32", kind: "gemm", cell: "none", n: 512 },
  { ...base, id: "W5b", title: "GEMM 1024³ float32", kind: "gemm", cell: "none", n: 1024 },
  { ...base, id: "W6", title: "streaming LSTM(512,512,2 layers), batch 1, one time step per call with (h, c), no grad", kind: "stream", cell: "lstm", inputSize: 512, hidden: 512, layers: 2, seq: 1, batch: 1 },
  { ...base, id: "W6g", title: "streaming GRU(512,512,2 layers), batch 1, one time step per call with h, no grad", kind: "stream", cell: "gru", inputSize: 512, hidden: 512, layers: 2, seq: 1, batch: 1 },
  { ...base, id: "W8", title: "sampling: the CLI's default char-LM (Embedding(V,32)→LSTM(32,128)→Linear(128,V), V from the bundled text), one character per call with state, temperature 0.8", kind: "sample", cell: "lstm", embedding: 32, hidden: 128, layers: 1, seq: 1, batch: 1 },
  { ...base, id: "W7", title: "word-LM (pytorch/examples word_language_model): Embedding(4000,64)→LSTM(64,128,2 layers)→Linear(128,4000), log_softmax+NLLLoss, bptt 35, batch 20, dropout 0.2, clip 0.25, SGD lr 20", kind: "wordlm", cell: "lstm", vocab: 4000, embedding: 64, hidden: 128, layers: 2, seq: 35, batch: 20, lr: 20, dropout: 0.2, clip: 0.25 },
];

export function workload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`bench: unknown workload "${id}" (have ${WORKLOADS.map((x) => x.id).join(", ")})`);
  return w;
}

/** GFLOP/s of an n³ GEMM that took `ms`. */
export function gflops(n: number, ms: number): number {
  return (2 * n * n * n) / (ms * 1e6);
}
