import { describe, expect, expectTypeOf, it } from "vitest";
import { manualSeed, noGrad, randn, tensor, zeros, type Tensor } from "@rnnkit/autograd";
import { Embedding, GRU, LSTM, Linear, Module, ModuleList, RNN, RNNCell } from "@rnnkit/nn";
import { DataLoader, TensorDataset } from "@rnnkit/data";
import { Adam, CrossEntropyLoss, crossEntropy } from "@rnnkit/optim";

// The course exercises (shared EXERCISES.md) written as a user would, with no casts: this file
// typechecks only while the library's types let tuples, states and batches destructure cleanly.

/** Exercise 3, by hand: an LSTM cell from two Linear layers and chunked gates. */
class HandLSTMCell extends Module {
  ih: Linear;
  hh: Linear;
  constructor(inputSize: number, readonly hiddenSize: number) {
    super();
    this.ih = new Linear(inputSize, 4 * hiddenSize);
    this.hh = new Linear(hiddenSize, 4 * hiddenSize);
  }
  forward(x: Tensor, [h, c]: [Tensor, Tensor]): [Tensor, Tensor] {
    const [i, f, g, o] = this.ih.forward(x).add(this.hh.forward(h)).chunk(4, 1);
    const c2 = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
    return [o.sigmoid().mul(c2.tanh()), c2];
  }
}

/** Exercises 2-4: embedding, a recurrent layer chosen by name, a linear head. */
class Model extends Module {
  emb = new Embedding(4, 10);
  rnn: RNN | GRU;
  lstm: LSTM | null;
  fc = new Linear(8, 4);
  constructor(kind: "rnn" | "gru" | "lstm") {
    super();
    this.rnn = kind === "gru" ? new GRU(10, 8, { numLayers: 2, batchFirst: true }) : new RNN(10, 8, { numLayers: 2, batchFirst: true });
    this.lstm = kind === "lstm" ? new LSTM(10, 8, { numLayers: 2, batchFirst: true }) : null;
  }
  forward(x: Tensor): Tensor {
    const e = this.emb.forward(x);
    const h0 = zeros([2, x.size(0), 8]);
    if (this.lstm) {
      const [out, [hn, cn]] = this.lstm.forward(e, [h0, zeros([2, x.size(0), 8])]);
      expectTypeOf(cn).toEqualTypeOf<Tensor>();
      expect(hn.shape).toEqual([2, x.size(0), 8]);
      return this.fc.forward(out).view(-1, 4);
    }
    const [out] = this.rnn.forward(e, h0);
    return this.fc.forward(out).view(-1, 4);
  }
}

describe("user code needs no casts", () => {
  it("exercise 1 with RNNCell: per-step losses summed, argmax characters read back", () => {
    manualSeed(0);
    const oneHot = tensor([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]]).view(-1, 1, 4);
    const labels = tensor([3, 2, 1, 3, 1], { dtype: "int32" }).view(-1, 1);
    const cell = new RNNCell(4, 4);
    const criterion = new CrossEntropyLoss();
    const opt = new Adam(cell.parameters(), { lr: 0.1 });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 15; epoch++) {
      opt.zeroGrad();
      let hidden = zeros([1, 4]);
      let loss = zeros([]);
      for (const [t, input] of oneHot.unbind(0).entries()) {
        hidden = cell.forward(input, hidden);
        loss = loss.add(criterion.forward(hidden, labels.index(t)));
      }
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    expect(losses[14]!).toBeLessThan(losses[0]!);
  });

  it("exercises 2-4: the same model with RNN, GRU and LSTM trains from a DataLoader of [x, y]", () => {
    for (const kind of ["rnn", "gru", "lstm"] as const) {
      manualSeed(1);
      const model = new Model(kind);
      const opt = new Adam(model.parameters(), { lr: 0.05 });
      const ds = new TensorDataset(tensor([[2, 0, 1, 1, 3]], { dtype: "int32" }), tensor([[3, 2, 1, 3, 1]], { dtype: "int32" }));
      const loader = new DataLoader(ds, { batchSize: 1 });
      let first = 0;
      let last = 0;
      for (let epoch = 0; epoch < 15; epoch++) {
        for (const [x, y] of loader) {
          opt.zeroGrad();
          const loss = crossEntropy(model.forward(x), y.view(-1));
          loss.backward();
          opt.step();
          if (epoch === 0) first = loss.item();
          last = loss.item();
        }
      }
      expect(last).toBeLessThan(first);
    }
  });

  it("exercise 3: the hand-written cell, a ModuleList stack and max(dim) destructure", () => {
    manualSeed(2);
    const stack = new ModuleList([new HandLSTMCell(3, 5), new HandLSTMCell(5, 5)]);
    let x = randn([2, 3]);
    for (const cell of stack) [x] = cell.forward(x, [zeros([2, 5]), zeros([2, 5])]);
    const [values, indices] = noGrad(() => x.max(1));
    expectTypeOf(indices).toEqualTypeOf<Tensor>();
    expect([values.shape, indices.dtype]).toEqual([[2], "int32"]);
    expect(stack.at(0).hiddenSize).toBe(5);
  });
});
