import * as rk from "rnnkit";
import { CliError } from "./errors.js";
import { table } from "./table.js";

/** The exercises of `rnnkit tutorial`. */
export const TUTORIAL_MODELS = ["rnncell", "rnn", "embedding-rnn", "lstm-manual", "lstm", "gru", "all"] as const;
/** One exercise, or `all`. */
export type TutorialModel = (typeof TUTORIAL_MODELS)[number];

// idx2char e, l, h, o; "hello" = [2, 0, 1, 1, 3] → "ohlol" = [3, 2, 1, 3, 1].
const HELLO = rk.data.helloOhlol();
const SEQ_LEN = HELLO.xData.length;
const EPOCHS = 15;
const NUM_CLASS = 4;

/** Outcome of one exercise, for the summary table. */
export interface TutorialResult {
  model: string;
  parameters: number;
  firstOhlolEpoch: number | null;
  finalLoss: number;
  finalPrediction: string;
  ms: number;
}

/** One training epoch of an exercise: returns the summed loss (graph attached) and predictions. */
type EpochFn = () => { loss: rk.Tensor; predicted: number[] };

/** Exercise 1a: RNNCell(4, 4), one step at a time, loss summed over the steps. */
function rnnCellExercise(): [rk.nn.Module, EpochFn, number] {
  const cell = new rk.nn.RNNCell(NUM_CLASS, NUM_CLASS);
  const inputs = HELLO.inputs; // (seqLen, batch, inputSize) = (5, 1, 4)
  const labels = HELLO.labels; // (seqLen, batch) = (5, 1)
  const criterion = new rk.nn.CrossEntropyLoss();
  return [cell, () => {
    let hidden = rk.zeros([1, NUM_CLASS]);
    let loss = rk.zeros([]);
    const predicted: number[] = [];
    for (let t = 0; t < SEQ_LEN; t++) {
      hidden = cell.forward(inputs.select(0, t), hidden);
      loss = loss.add(criterion.forward(hidden, labels.select(0, t)));
      predicted.push(hidden.argmax(1).item());
    }
    return { loss, predicted };
  }, 0.1];
}

/** Exercise 1b: RNN(4, 4, numLayers 1) over the whole sequence, output viewed as (5, 4). */
function rnnExercise(): [rk.nn.Module, EpochFn, number] {
  const rnn = new rk.nn.RNN(NUM_CLASS, NUM_CLASS, { numLayers: 1 });
  const inputs = HELLO.inputs;
  const labels = HELLO.labelsFlat; // (seqLen * batch) = (5)
  const criterion = new rk.nn.CrossEntropyLoss();
  return [rnn, () => {
    const [out] = rnn.forward(inputs, rk.zeros([1, 1, NUM_CLASS]));
    const scores = out.reshape(-1, NUM_CLASS);
    return { loss: criterion.forward(scores, labels), predicted: argmaxRows(scores) };
  }, 0.1];
}

/**
 * An LSTM layer written by hand from two Linear layers and tensor ops (exercise 3.1):
 * `[i, f, g, o] = x W_iᵀ + h W_hᵀ`, `c' = σ(f) c + σ(i) tanh(g)`, `h' = σ(o) tanh(c')`.
 */
export class ManualLSTMLayer extends rk.nn.Module {
  ih: rk.nn.Linear;
  hh: rk.nn.Linear;
  constructor(inputSize: number, readonly hiddenSize: number) {
    super();
    this.ih = new rk.nn.Linear(inputSize, 4 * hiddenSize);
    this.hh = new rk.nn.Linear(hiddenSize, 4 * hiddenSize);
  }
  /** `x (B, T, I)` batch-first → `(B, T, H)`. */
  forward(x: rk.Tensor): rk.Tensor {
    const [b, t] = [x.shape[0]!, x.shape[1]!];
    let h = rk.zeros([b, this.hiddenSize]);
    let c = rk.zeros([b, this.hiddenSize]);
    const outs: rk.Tensor[] = [];
    for (let s = 0; s < t; s++) {
      const gates = this.ih.forward(x.select(1, s)).add(this.hh.forward(h));
      const [i, f, g, o] = gates.chunk(4, 1) as [rk.Tensor, rk.Tensor, rk.Tensor, rk.Tensor];
      c = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
      h = o.sigmoid().mul(c.tanh());
      outs.push(h);
    }
    return rk.stack(outs, 1);
  }
}

/** Exercise 2-4: Embedding(4, 10) → recurrent(10, 8, 2 layers, batch-first) → Linear(8, 4). */
export class EmbedNet extends rk.nn.Module {
  emb: rk.nn.Embedding;
  rnn: rk.nn.RNN | rk.nn.LSTM | rk.nn.GRU | rk.nn.Sequential;
  fc: rk.nn.Linear;
  constructor(readonly kind: "rnn" | "lstm" | "gru" | "lstm-manual") {
    super();
    this.emb = new rk.nn.Embedding(NUM_CLASS, 10);
    const opts = { numLayers: 2, batchFirst: true };
    this.rnn = kind === "rnn" ? new rk.nn.RNN(10, 8, opts)
      : kind === "lstm" ? new rk.nn.LSTM(10, 8, opts)
      : kind === "gru" ? new rk.nn.GRU(10, 8, opts)
      : new rk.nn.Sequential(new ManualLSTMLayer(10, 8), new ManualLSTMLayer(8, 8));
    this.fc = new rk.nn.Linear(8, NUM_CLASS);
  }
  forward(x: rk.Tensor): rk.Tensor {
    const e = this.emb.forward(x);
    let out: rk.Tensor;
    if (this.rnn instanceof rk.nn.LSTM) {
      const h0 = rk.zeros([2, x.shape[0]!, 8]);
      [out] = this.rnn.forward(e, [h0, h0]);
    } else if (this.rnn instanceof rk.nn.RNN || this.rnn instanceof rk.nn.GRU) {
      [out] = this.rnn.forward(e, rk.zeros([2, x.shape[0]!, 8]));
    } else {
      out = this.rnn.forward(e) as rk.Tensor;
    }
    return this.fc.forward(out).view(-1, NUM_CLASS);
  }
}

function embedExercise(kind: "rnn" | "lstm" | "gru" | "lstm-manual"): [rk.nn.Module, EpochFn, number] {
  const net = new EmbedNet(kind);
  const inputs = HELLO.xIndices; // (batch, seqLen) = (1, 5), int32
  const labels = HELLO.labelsFlat; // (batch * seqLen)
  const criterion = new rk.nn.CrossEntropyLoss();
  return [net, () => {
    const scores = net.forward(inputs);
    return { loss: criterion.forward(scores, labels), predicted: argmaxRows(scores) };
  }, kind === "lstm" || kind === "lstm-manual" ? 0.1 : 0.05];
}

/**
 * Copies the hand-written LSTM's Linear weights into `nn.LSTM(10, 8, numLayers 2)` (W_ih, b_ih
 * from `ih`, W_hh, b_hh from `hh`, same i, f, g, o order) and returns the largest difference of
 * their outputs on the embedded "hello".
 */
export function manualVsBuiltin(net: EmbedNet): number {
  const layers = (net.rnn as rk.nn.Sequential).children() as ManualLSTMLayer[];
  const lstm = new rk.nn.LSTM(10, 8, { numLayers: layers.length, batchFirst: true });
  const sd: Record<string, rk.Tensor> = {};
  layers.forEach((l, k) => {
    sd[`weight_ih_l${k}`] = l.ih.weight;
    sd[`weight_hh_l${k}`] = l.hh.weight;
    sd[`bias_ih_l${k}`] = l.ih.bias!;
    sd[`bias_hh_l${k}`] = l.hh.bias!;
  });
  lstm.loadStateDict(sd);
  return rk.noGrad(() => {
    const e = net.emb.forward(HELLO.xIndices);
    const manual = (net.rnn as rk.nn.Sequential).forward(e) as rk.Tensor;
    const [builtin] = lstm.forward(e);
    return manual.sub(builtin).abs().max().item();
  });
}

function argmaxRows(scores: rk.Tensor): number[] {
  return Array.from(scores.argmax(1).data());
}

const DESCRIPTIONS: Record<Exclude<TutorialModel, "all">, string> = {
  rnncell: "RNNCell(4, 4) stepped by hand over one-hot inputs (5, 1, 4), loss summed per step; Adam lr 0.1",
  rnn: "RNN(4, 4, numLayers 1) over the whole one-hot sequence, output viewed as (5, 4); Adam lr 0.1",
  "embedding-rnn": "Embedding(4, 10) → RNN(10, 8, numLayers 2, batchFirst) → Linear(8, 4); Adam lr 0.05",
  // LSTMs start slower (four gates, saturating forget gate): lr 0.1 lets them reach "ohlol" in 15 epochs.
  "lstm-manual": "Embedding(4, 10) → LSTM written from Linear layers (2 layers, hidden 8) → Linear(8, 4); Adam lr 0.1",
  lstm: "Embedding(4, 10) → LSTM(10, 8, numLayers 2, batchFirst) → Linear(8, 4); Adam lr 0.1",
  gru: "Embedding(4, 10) → GRU(10, 8, numLayers 2, batchFirst) → Linear(8, 4); Adam lr 0.05",
};

const BUILDERS: Record<Exclude<TutorialModel, "all">, () => [rk.nn.Module, EpochFn, number]> = {
  rnncell: rnnCellExercise,
  rnn: rnnExercise,
  "embedding-rnn": () => embedExercise("rnn"),
  "lstm-manual": () => embedExercise("lstm-manual"),
  lstm: () => embedExercise("lstm"),
  gru: () => embedExercise("gru"),
};

/** Trains one exercise for 15 epochs with Adam, printing each epoch's prediction and loss. */
export function runExercise(name: Exclude<TutorialModel, "all">, seed: number, print: (line: string) => void): TutorialResult {
  rk.manualSeed(seed);
  const started = Date.now();
  const [model, epoch, lr] = BUILDERS[name]();
  const optimizer = new rk.optim.Adam(model.parameters(), { lr });
  let firstOhlolEpoch: number | null = null;
  let finalLoss = NaN;
  let finalPrediction = "";
  for (let k = 1; k <= EPOCHS; k++) {
    optimizer.zeroGrad();
    const { loss, predicted } = epoch();
    loss.backward();
    optimizer.step();
    finalLoss = loss.item();
    finalPrediction = predicted.map((i) => HELLO.idx2char[i]).join("");
    if (firstOhlolEpoch === null && finalPrediction === "ohlol") firstOhlolEpoch = k;
    print(`Predicted: ${finalPrediction}, Epoch [${k}/${EPOCHS}] loss=${finalLoss.toFixed(4)}`);
  }
  if (model instanceof EmbedNet && model.kind === "lstm-manual") {
    print(`The same weights in nn.LSTM give the same outputs: max |difference| = ${manualVsBuiltin(model).toExponential(1)}`);
  }
  return { model: name, parameters: model.numParameters(), firstOhlolEpoch, finalLoss, finalPrediction, ms: Date.now() - started };
}

/** `rnnkit tutorial`: one exercise, or all of them followed by a summary table. */
export function tutorialCommand(model: TutorialModel, seed: number): void {
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  if (!(TUTORIAL_MODELS as readonly string[]).includes(model)) {
    throw new CliError(`rnnkit tutorial: --model must be one of ${TUTORIAL_MODELS.join(", ")}, got ${model}`);
  }
  const names = model === "all" ? (TUTORIAL_MODELS.filter((m) => m !== "all") as Exclude<TutorialModel, "all">[]) : [model];
  const results: TutorialResult[] = [];
  for (const name of names) {
    print(`${names.length > 1 ? "\n" : ""}== ${name}: ${DESCRIPTIONS[name]} ==`);
    results.push(runExercise(name, seed, print));
  }
  if (model !== "all") return;
  print("");
  print(table([
    ["model", "parameters", "epochs to \"ohlol\"", "final loss", "time"],
    ...results.map((r) => [r.model, String(r.parameters), r.firstOhlolEpoch === null ? "-" : String(r.firstOhlolEpoch), r.finalLoss.toFixed(4), `${r.ms} ms`]),
  ]));
}
