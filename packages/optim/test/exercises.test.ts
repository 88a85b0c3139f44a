import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { eye, manualSeed, noGrad, randn, stack, tensor, zeros, type Tensor } from "@rnnkit/autograd";
import { Embedding, GRU, Linear, LSTM, Module, RNN, RNNCell } from "@rnnkit/nn";
import { Adam, CrossEntropyLoss } from "../src/index.js";

/**
 * The classic recurrent-network exercises (/work/shared/EXERCISES.md): "hello" -> "ohlol" with
 * RNNCell, RNN, and Embedding + RNN / LSTM / GRU + Linear, trained from the same seed as
 * PyTorch (tools/parity/rnn.py wrote every epoch's loss and predicted string).
 */
interface ExerciseCase {
  name: string;
  kind?: "RNN" | "LSTM" | "GRU";
  seed: number;
  lr: number;
  losses: number[];
  predictions: string[];
}
const { cases } = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/rnn_exercises.json", import.meta.url)), "utf8")) as { cases: ExerciseCase[] };
const byName = (name: string): ExerciseCase => cases.find((c) => c.name === name)!;

const IDX2CHAR = ["e", "l", "h", "o"];
const X_DATA = [2, 0, 1, 1, 3]; // "hello"
const Y_DATA = [3, 2, 1, 3, 1]; // "ohlol"
const decode = (t: Tensor): string => Array.from(t.data(), (i) => IDX2CHAR[i]!).join("");

/** Each epoch's loss within float32 drift of torch's, and the same predicted string. */
function expectTrajectory(losses: number[], predictions: string[], c: ExerciseCase): void {
  expect(predictions).toEqual(c.predictions);
  losses.forEach((l, i) => {
    expect(Math.abs(l - c.losses[i]!), `epoch ${i} loss ${l} vs torch ${c.losses[i]}`).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs(c.losses[i]!));
  });
  expect(predictions.at(-1)).toBe("ohlol");
  expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.6);
}

describe("exercise 1: hello -> ohlol", () => {
  it("with RNNCell: one loss term per step, summed, then one backward", () => {
    const c = byName("RNNCell");
    manualSeed(c.seed);
    const cell = new RNNCell(4, 4);
    const criterion = new CrossEntropyLoss();
    const optimizer = new Adam(cell.parameters(), { lr: c.lr });
    const inputs = eye(4).indexSelect(0, tensor(X_DATA, { dtype: "int32" })).view(-1, 1, 4); // (5, 1, 4)
    const labels = tensor(Y_DATA, { dtype: "int32" }).view(-1, 1); // (5, 1)
    const losses: number[] = [];
    const predictions: string[] = [];
    for (let epoch = 0; epoch < c.losses.length; epoch++) {
      optimizer.zeroGrad();
      let hidden = zeros([1, 4]);
      let loss: Tensor | null = null;
      let predicted = "";
      inputs.unbind(0).forEach((input, t) => {
        hidden = cell.forward(input, hidden);
        const term = criterion.forward(hidden, labels.select(0, t));
        loss = loss ? loss.add(term) : term;
        predicted += IDX2CHAR[hidden.argmax(1).item()];
      });
      loss!.backward();
      optimizer.step();
      losses.push(loss!.item());
      predictions.push(predicted);
    }
    expectTrajectory(losses, predictions, c);
  });

  it("with RNN: the whole sequence in one call, output viewed as (seqLen * batch, hidden)", () => {
    const c = byName("RNN");
    manualSeed(c.seed);
    const rnn = new RNN(4, 4, { numLayers: 1 });
    const criterion = new CrossEntropyLoss();
    const optimizer = new Adam(rnn.parameters(), { lr: c.lr });
    const inputs = eye(4).indexSelect(0, tensor(X_DATA, { dtype: "int32" })).view(-1, 1, 4);
    const labels = tensor(Y_DATA, { dtype: "int32" });
    const losses: number[] = [];
    const predictions: string[] = [];
    for (let epoch = 0; epoch < c.losses.length; epoch++) {
      optimizer.zeroGrad();
      const [out] = rnn.forward(inputs, zeros([1, 1, 4]));
      const scores = out.view(-1, 4);
      const loss = criterion.forward(scores, labels);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
      predictions.push(decode(scores.argmax(1)));
    }
    expectTrajectory(losses, predictions, c);
  });
});

/** Exercise 2's model with any of the three recurrent layers: embedding -> rnn -> linear. */
class EmbeddingModel extends Module {
  emb: Embedding;
  rnn: RNN | LSTM | GRU;
  fc: Linear;
  constructor(kind: "RNN" | "LSTM" | "GRU") {
    super();
    this.emb = new Embedding(4, 10);
    const opts = { numLayers: 2, batchFirst: true };
    this.rnn = kind === "RNN" ? new RNN(10, 8, opts) : kind === "LSTM" ? new LSTM(10, 8, opts) : new GRU(10, 8, opts);
    this.fc = new Linear(8, 4);
  }
  forward(x: Tensor): Tensor {
    const h0 = zeros([2, x.shape[0]!, 8]);
    const e = this.emb.forward(x);
    const out = this.rnn instanceof LSTM ? this.rnn.forward(e, [h0, zeros([2, x.shape[0]!, 8])])[0] : this.rnn.forward(e, h0)[0];
    return this.fc.forward(out).view(-1, 4);
  }
}

describe("exercises 2-4: Embedding + recurrent layer + Linear on integer inputs", () => {
  for (const kind of ["RNN", "LSTM", "GRU"] as const) {
    it(`${kind} learns ohlol with torch's trajectory`, () => {
      const c = byName(`Embedding+${kind}+Linear`);
      manualSeed(c.seed);
      const model = new EmbeddingModel(kind);
      const criterion = new CrossEntropyLoss();
      const optimizer = new Adam(model.parameters(), { lr: c.lr });
      const x = tensor([X_DATA], { dtype: "int32" }); // (batch 1, seqLen 5)
      const y = tensor(Y_DATA, { dtype: "int32" });
      const losses: number[] = [];
      const predictions: string[] = [];
      for (let epoch = 0; epoch < c.losses.length; epoch++) {
        optimizer.zeroGrad();
        const out = model.forward(x);
        const loss = criterion.forward(out, y);
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
        predictions.push(decode(out.argmax(1)));
      }
      expectTrajectory(losses, predictions, c);
    });
  }
});

/** Exercise 3, part 1: an LSTM written by hand from two Linear layers and tensor ops. */
class HandLSTM extends Module {
  ih: Linear;
  hh: Linear;
  readonly hiddenSize: number;
  constructor(inputSize: number, hiddenSize: number) {
    super();
    this.ih = new Linear(inputSize, 4 * hiddenSize);
    this.hh = new Linear(hiddenSize, 4 * hiddenSize);
    this.hiddenSize = hiddenSize;
  }
  forward(xs: Tensor, state: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    let [h, c] = state;
    const outs: Tensor[] = [];
    for (const x of xs.unbind(0)) {
      const [i, f, g, o] = this.ih.forward(x).add(this.hh.forward(h)).chunk(4, 1);
      c = f!.sigmoid().mul(c).add(i!.sigmoid().mul(g!.tanh()));
      h = o!.sigmoid().mul(c.tanh());
      outs.push(h);
    }
    return [stack(outs), [h, c]];
  }
}

describe("exercise 3: LSTM two ways", () => {
  it("the hand-written LSTM equals nn.LSTM given the same weights, values and gradients", () => {
    manualSeed(3);
    const lstm = new LSTM(5, 6);
    const hand = new HandLSTM(5, 6);
    const sd = lstm.stateDict();
    hand.loadStateDict({ "ih.weight": sd.weight_ih_l0!, "ih.bias": sd.bias_ih_l0!, "hh.weight": sd.weight_hh_l0!, "hh.bias": sd.bias_hh_l0! });
    const x = randn([7, 3, 5]);
    const h0 = randn([3, 6]);
    const c0 = randn([3, 6]);
    const [outA, [hA, cA]] = hand.forward(x, [h0, c0]);
    const [outB, [hB, cB]] = lstm.forward(x, [h0.unsqueeze(0), c0.unsqueeze(0)]);
    const close = (a: Tensor, b: Tensor) => {
      const d = noGrad(() => a.sub(b).abs().max().item());
      expect(d).toBeLessThan(1e-6);
    };
    close(outA, outB);
    close(hA, hB.squeeze(0));
    close(cA, cB.squeeze(0));
    const g = randn([7, 3, 6]);
    outA.mul(g).sum().add(cA.sum()).backward();
    outB.mul(g).sum().add(cB.sum()).backward();
    const p = Object.fromEntries(lstm.namedParameters());
    close(hand.ih.weight.grad!, p.weight_ih_l0!.grad!);
    close(hand.hh.weight.grad!, p.weight_hh_l0!.grad!);
    close(hand.ih.bias!.grad!, p.bias_ih_l0!.grad!);
    close(hand.hh.bias!.grad!, p.bias_hh_l0!.grad!);
  });
});
