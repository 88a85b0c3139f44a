import { readFileSync } from "node:fs";
import { types } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ones, zeros, type Tensor } from "@rnnkit/autograd";
import * as nn from "@rnnkit/nn";
import { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss } from "../src/index.js";

// String(module) is torch's repr, and parameters / children / state-dict keys come in torch's
// (assignment) order: tools/parity/module_repr.py.

interface Case { repr: string; parameters: string[]; children: string[]; stateDict: string[] }
const { cases } = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/module_repr.json", import.meta.url)), "utf8")) as { cases: Record<string, Case> };

/** Declares `fc` before `emb` but assigns `emb` first: torch's order is the assignment order. */
class Net extends nn.Module {
  fc: nn.Linear;
  drop: nn.Dropout;
  scale: nn.Parameter;
  rnn: nn.LSTM;
  emb: nn.Embedding;
  constructor() {
    super();
    this.emb = new nn.Embedding(4, 10);
    this.rnn = new nn.LSTM(10, 8, { numLayers: 2, batchFirst: true });
    this.fc = new nn.Linear(8, 4);
    this.drop = new nn.Dropout(0.2);
    this.scale = new nn.Parameter(ones([1]));
  }
  forward(x: Tensor): Tensor {
    return this.fc.forward(this.drop.forward(this.rnn.forward(this.emb.forward(x))[0])).mul(this.scale);
  }
}

/** word_language_model's tied encoder/decoder. */
class Tied extends nn.Module {
  drop = new nn.Dropout(0.5);
  encoder = new nn.Embedding(50, 16);
  rnn = new nn.LSTM(16, 16, { numLayers: 2, dropout: 0.5 });
  decoder = new nn.Linear(16, 50);
  constructor() {
    super();
    this.decoder.weight = this.encoder.weight;
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

class Outer extends nn.Module {
  bias: nn.Parameter;
  layers: nn.ModuleList;
  body: Net;
  head: nn.Sequential;
  constructor() {
    super();
    this.head = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Sequential(new nn.Linear(4, 2), new nn.LogSoftmax(1)));
    this.body = new Net();
    this.layers = new nn.ModuleList([new nn.GRUCell(2, 3), new nn.RNNCell(3, 3, { nonlinearity: "relu" })]);
    this.bias = new nn.Parameter(zeros([2]));
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

const make: Record<string, () => nn.Module> = {
  Linear: () => new nn.Linear(8, 4),
  LinearNoBias: () => new nn.Linear(8, 4, { bias: false }),
  Bilinear: () => new nn.Bilinear(3, 4, 5),
  Identity: () => new nn.Identity(),
  Embedding: () => new nn.Embedding(4, 10),
  EmbeddingOpts: () => new nn.Embedding(4, 10, { paddingIdx: 0, maxNorm: 1.5, normType: 1, scaleGradByFreq: true }),
  Dropout: () => new nn.Dropout(0.5),
  Dropout02: () => new nn.Dropout(0.2),
  RNN: () => new nn.RNN(3, 4),
  RNNRelu: () => new nn.RNN(3, 4, { nonlinearity: "relu", numLayers: 3, bias: false }),
  LSTM: () => new nn.LSTM(10, 20, { numLayers: 2, batchFirst: true }),
  LSTMAll: () => new nn.LSTM(10, 20, { numLayers: 2, bias: false, batchFirst: true, dropout: 0.25, bidirectional: true, projSize: 5 }),
  GRU: () => new nn.GRU(5, 6, { bidirectional: true }),
  GRUDropout: () => new nn.GRU(5, 6, { numLayers: 2, dropout: 0.5 }),
  RNNCell: () => new nn.RNNCell(3, 4),
  RNNCellRelu: () => new nn.RNNCell(3, 4, { bias: false, nonlinearity: "relu" }),
  LSTMCell: () => new nn.LSTMCell(3, 4),
  GRUCellNoBias: () => new nn.GRUCell(3, 4, { bias: false }),
  ReLU: () => new nn.ReLU(),
  ReLU6: () => new nn.ReLU6(),
  Tanh: () => new nn.Tanh(),
  Sigmoid: () => new nn.Sigmoid(),
  LeakyReLU: () => new nn.LeakyReLU(),
  LeakyReLU02: () => new nn.LeakyReLU(0.2),
  ELU: () => new nn.ELU(),
  CELU: () => new nn.CELU(0.5),
  SELU: () => new nn.SELU(),
  GELU: () => new nn.GELU(),
  GELUTanh: () => new nn.GELU({ approximate: "tanh" }),
  SiLU: () => new nn.SiLU(),
  Mish: () => new nn.Mish(),
  Softplus: () => new nn.Softplus(),
  Softplus2: () => new nn.Softplus({ beta: 2, threshold: 10 }),
  Softsign: () => new nn.Softsign(),
  Hardtanh: () => new nn.Hardtanh(),
  Hardtanh2: () => new nn.Hardtanh(-2, 2),
  Hardsigmoid: () => new nn.Hardsigmoid(),
  Hardswish: () => new nn.Hardswish(),
  LogSigmoid: () => new nn.LogSigmoid(),
  Tanhshrink: () => new nn.Tanhshrink(),
  Softshrink: () => new nn.Softshrink(),
  Hardshrink: () => new nn.Hardshrink(0.3),
  Threshold: () => new nn.Threshold(0.1, 20),
  Softmax: () => new nn.Softmax(1),
  SoftmaxNone: () => new nn.Softmax(),
  LogSoftmax: () => new nn.LogSoftmax({ dim: -1 }),
  Softmin: () => new nn.Softmin(0),
  Flatten: () => new nn.Flatten(),
  Flatten2: () => new nn.Flatten({ startDim: 0, endDim: 2 }),
  Sequential: () => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1)),
  SequentialEmpty: () => new nn.Sequential(),
  ModuleList: () => new nn.ModuleList([new nn.Linear(2, 2), new nn.Dropout(0.1)]),
  CrossEntropyLoss: () => new CrossEntropyLoss(),
  CrossEntropyLossOpts: () => new CrossEntropyLoss({ ignoreIndex: 0, labelSmoothing: 0.1 }),
  NLLLoss: () => new NLLLoss(),
  MSELoss: () => new MSELoss(),
  L1Loss: () => new L1Loss(),
  SmoothL1Loss: () => new SmoothL1Loss(),
  HuberLoss: () => new HuberLoss(),
  BCELoss: () => new BCELoss(),
  BCEWithLogitsLoss: () => new BCEWithLogitsLoss(),
  Net: () => new Net(),
  Tied: () => new Tied(),
  Outer: () => new Outer(),
};

describe("String(module) is torch's repr; members in torch's order", () => {
  it("covers every fixture case", () => {
    expect(Object.keys(make).sort()).toEqual(Object.keys(cases).sort());
  });
  it.each(Object.keys(cases))("%s", (name) => {
    const m = make[name]!();
    const c = cases[name]!;
    expect(String(m)).toBe(c.repr);
    expect(`${m}`).toBe(c.repr);
    expect(m.namedParameters().map(([k]) => k)).toEqual(c.parameters);
    expect(m.namedChildren().map(([k]) => k)).toEqual(c.children);
    expect(Object.keys(m.stateDict())).toEqual(c.stateDict);
  });
});

describe("which modules track assignment order", () => {
  it("user modules do; rnnkit's own layers, which assign in declaration order, stay plain objects", () => {
    expect(types.isProxy(new Net())).toBe(true);
    class MyLSTM extends nn.LSTM {}
    expect(types.isProxy(new MyLSTM(2, 3))).toBe(true);
    for (const m of [new nn.LSTM(2, 3), new nn.Linear(2, 3), new nn.Embedding(3, 2), new nn.GRUCell(2, 3), new nn.Sequential(new nn.ReLU())]) {
      expect(types.isProxy(m), String(m)).toBe(false);
    }
  });
});
