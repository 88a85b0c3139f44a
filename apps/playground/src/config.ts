/** Everything that defines one playground run: the task, the model and the optimizer. */

export type TaskName = "hello" | "wordOrigin" | "text" | "sine";
export type CellType = "rnn-tanh" | "rnn-relu" | "lstm" | "gru";
export type InputEncoding = "onehot" | "embedding";
export type OptimizerName = "adam" | "adamw" | "sgd" | "rmsprop";

export interface PlaygroundConfig {
  task: TaskName;
  cell: CellType;
  input: InputEncoding;
  embeddingDim: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  optimizer: OptimizerName;
  lr: number;
  seed: number;
  /** Sequence length of training chunks (text and sine tasks). */
  seqLen: number;
  /** Batch size (word origin, text and sine tasks; hello trains on its one sequence). */
  batchSize: number;
  /** The user's text for the text task. */
  text: string;
}

/** Tasks whose output at a step may depend on later inputs (classification), so bidirectional makes sense. */
export function allowsBidirectional(task: TaskName): boolean {
  return task === "wordOrigin";
}

/** Sensible defaults per task (hello: the classic exercise's hyper-parameters). */
export function defaultConfig(task: TaskName = "hello"): PlaygroundConfig {
  const base: PlaygroundConfig = {
    task,
    cell: "rnn-tanh",
    input: "onehot",
    embeddingDim: 10,
    hiddenSize: 8,
    numLayers: 1,
    bidirectional: false,
    optimizer: "adam",
    lr: 0.1,
    seed: 0,
    seqLen: 32,
    batchSize: 16,
    text: "",
  };
  switch (task) {
    case "hello":
      return { ...base, hiddenSize: 4, lr: 0.1 };
    case "wordOrigin":
      return { ...base, cell: "gru", input: "embedding", embeddingDim: 16, hiddenSize: 64, lr: 0.01, batchSize: 32 };
    case "text":
      return { ...base, cell: "lstm", input: "embedding", embeddingDim: 32, hiddenSize: 128, lr: 0.005, seqLen: 48, batchSize: 16 };
    case "sine":
      return { ...base, cell: "lstm", input: "onehot", hiddenSize: 32, lr: 0.01, seqLen: 40, batchSize: 16 };
  }
}

/** Problems with a config, as messages naming the field; empty when it is usable. */
export function validateConfig(c: PlaygroundConfig): string[] {
  const errs: string[] = [];
  const int = (name: keyof PlaygroundConfig, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) errs.push(`${name} must be an integer from ${lo} to ${hi}, got ${v}`);
  };
  int("hiddenSize", c.hiddenSize, 1, 1024);
  int("numLayers", c.numLayers, 1, 4);
  int("embeddingDim", c.embeddingDim, 1, 512);
  int("seqLen", c.seqLen, 2, 512);
  int("batchSize", c.batchSize, 1, 512);
  int("seed", c.seed, 0, 2 ** 31 - 1);
  if (!(c.lr > 0 && c.lr <= 10)) errs.push(`lr must be in (0, 10], got ${c.lr}`);
  if (c.bidirectional && !allowsBidirectional(c.task)) {
    errs.push(`bidirectional only makes sense for classification (word origin), not the ${c.task} task`);
  }
  if (c.task === "sine" && c.input === "embedding") errs.push("the sine task has real-valued input: use input 'onehot' (raw values)");
  if (c.task === "text" && c.text.trim().length < 100) errs.push("the text task needs at least 100 characters of text");
  return errs;
}
