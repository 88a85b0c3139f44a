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

/** A problem with one setting, in the words the page uses for it. */
export interface ConfigProblem {
  /** The setting at fault (null when several settings together are the problem). */
  field: keyof PlaygroundConfig | null;
  message: string;
}

/** The label each setting has on the page (messages use these, never the property names). */
export const FIELD_LABELS: Record<keyof PlaygroundConfig, string> = {
  task: "Task",
  cell: "Cell",
  input: "Input",
  embeddingDim: "Embedding size",
  hiddenSize: "Hidden size",
  numLayers: "Layers",
  bidirectional: "Bidirectional",
  optimizer: "Optimizer",
  lr: "Learning rate",
  seed: "Seed",
  seqLen: "Sequence length",
  batchSize: "Batch size",
  text: "Text",
};

/** The settings a task reads; the others are hidden and never block training. */
export function usedFields(task: TaskName, input: InputEncoding): Set<keyof PlaygroundConfig> {
  const used = new Set<keyof PlaygroundConfig>(["task", "cell", "hiddenSize", "numLayers", "optimizer", "lr", "seed"]);
  if (task !== "sine") used.add("input");
  if (task !== "sine" && input === "embedding") used.add("embeddingDim");
  if (task !== "hello") used.add("batchSize");
  if (task === "text" || task === "sine") used.add("seqLen");
  if (task === "text") used.add("text");
  if (allowsBidirectional(task)) used.add("bidirectional");
  return used;
}

/** Most multiply-adds one training step's forward pass may cost (LSTM 512 on the text task's defaults fits). */
export const MAX_STEP_COST = 1e9;
/** Fewest characters the text task accepts. */
export const MIN_TEXT = 100;

/** The text task's training part is the first 90 % of the text (see TextTask). */
function minTextFor(seqLen: number): number {
  return Math.max(MIN_TEXT, Math.ceil((seqLen + 2) / 0.9));
}

/**
 * Multiply-adds of one training step's forward pass: every recurrent layer's gate products over
 * every input position, plus the output layer. The backward pass costs about twice as much.
 */
export function stepCost(c: PlaygroundConfig, vocabSize: number): number {
  const gates = c.cell === "lstm" ? 4 : c.cell === "gru" ? 3 : 1;
  const dirs = c.bidirectional ? 2 : 1;
  const tokens = c.task === "hello" ? 5 : c.task === "wordOrigin" ? c.batchSize * 10 : c.batchSize * c.seqLen;
  const outputs = c.task === "wordOrigin" ? 8 : c.task === "sine" ? 1 : vocabSize;
  let perToken = 0;
  let inSize = c.task === "sine" ? 1 : c.input === "embedding" ? c.embeddingDim : vocabSize;
  for (let l = 0; l < c.numLayers; l++) {
    perToken += dirs * gates * c.hiddenSize * (inSize + c.hiddenSize);
    inSize = dirs * c.hiddenSize;
  }
  const outputRows = c.task === "wordOrigin" ? c.batchSize : tokens;
  return perToken * tokens + outputRows * inSize * outputs;
}

/** Symbols the input vocabulary will have (the text task: distinct characters of the text). */
export function vocabSizeOf(c: PlaygroundConfig): number {
  if (c.task === "hello") return 4;
  if (c.task === "wordOrigin") return 58;
  if (c.task === "sine") return 1;
  return new Set(c.text).size;
}

/** Problems with the settings a task uses, each naming its setting as the page labels it; empty when usable. */
export function validateConfig(c: PlaygroundConfig): ConfigProblem[] {
  const used = usedFields(c.task, c.input);
  const errs: ConfigProblem[] = [];
  const int = (field: keyof PlaygroundConfig, v: number, lo: number, hi: number) => {
    if (!used.has(field)) return;
    if (!Number.isInteger(v) || v < lo || v > hi) {
      errs.push({ field, message: `${FIELD_LABELS[field]} must be a whole number from ${lo} to ${hi} (got ${Number.isNaN(v) ? "nothing" : v}).` });
    }
  };
  int("hiddenSize", c.hiddenSize, 1, 1024);
  int("numLayers", c.numLayers, 1, 4);
  int("embeddingDim", c.embeddingDim, 1, 512);
  int("seqLen", c.seqLen, 2, 512);
  int("batchSize", c.batchSize, 1, 256);
  int("seed", c.seed, 0, 2 ** 31 - 1);
  if (!(c.lr > 0 && c.lr <= 10)) errs.push({ field: "lr", message: `Learning rate must be more than 0 and at most 10 (got ${Number.isNaN(c.lr) ? "nothing" : c.lr}).` });
  if (c.bidirectional && !allowsBidirectional(c.task)) {
    errs.push({ field: "bidirectional", message: "Bidirectional only makes sense for classification (the word-origin task)." });
  }
  if (c.task === "text") {
    const need = minTextFor(Number.isInteger(c.seqLen) ? c.seqLen : 2);
    const have = c.text.length;
    if (c.text.trim().length < MIN_TEXT || have < need) {
      errs.push({
        field: "text",
        message: need > MIN_TEXT
          ? `Text must have at least ${need} characters for a sequence length of ${c.seqLen} (it has ${have}); add text or lower the sequence length.`
          : `Text must have at least ${MIN_TEXT} characters (it has ${c.text.trim().length}).`,
      });
    }
  }
  if (errs.length === 0) {
    const cost = stepCost(c, vocabSizeOf(c));
    if (cost > MAX_STEP_COST) {
      errs.push({
        field: null,
        message: `This model is too large to train responsively in the browser: a training step would take about ${(cost / 1e9).toFixed(1)} billion multiply-adds forward (the limit is ${MAX_STEP_COST / 1e9} billion). Lower the hidden size, layers, batch size or sequence length.`,
      });
    }
  }
  return errs;
}
