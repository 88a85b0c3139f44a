import { describe, expect, it } from "vitest";
import * as rk from "rnnkit";

// Every name the public API contract (shared API.md) puts on the umbrella.
const TOP_LEVEL = [
  "Tensor", "tensor", "zeros", "ones", "full", "rand", "randn", "randint", "arange", "eye", "stack", "cat",
  "noGrad", "manualSeed", "Generator", "gradcheck", "backend", "setBackend", "initWasmBackend",
];
const NN = [
  "Module", "Parameter", "Linear", "Embedding", "RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "Dropout", "Sequential",
  "CrossEntropyLoss", "NLLLoss", "MSELoss", "BCEWithLogitsLoss",
];
const FUNCTIONAL = ["crossEntropy", "nllLoss", "mseLoss", "binaryCrossEntropyWithLogits", "linear", "embedding", "dropout", "relu", "softmax", "logSoftmax"];
const UTILS_RNN = ["padSequence", "packPaddedSequence", "padPackedSequence", "packSequence"];
const OPTIM = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"];
const SCHEDULERS = ["StepLR", "ExponentialLR", "CosineAnnealingLR", "OneCycleLR", "ReduceLROnPlateau"];
const DATA = ["Dataset", "TensorDataset", "DataLoader", "CharVocab"];
const IO = ["saveSafetensors", "loadSafetensors"];

function missing(ns: object, names: string[]): string[] {
  return names.filter((n) => typeof (ns as Record<string, unknown>)[n] !== "function");
}

describe("the rnnkit umbrella", () => {
  it("exports every top-level name of the API contract", () => {
    expect(missing(rk, TOP_LEVEL)).toEqual([]);
  });

  it("has every namespace of the API contract", () => {
    expect(missing(rk.nn, NN)).toEqual([]);
    expect(missing(rk.nn.functional, FUNCTIONAL)).toEqual([]);
    expect(missing(rk.F, FUNCTIONAL)).toEqual([]);
    expect(missing(rk.nn.F, FUNCTIONAL)).toEqual([]);
    expect(missing(rk.nn.utils.rnn, UTILS_RNN)).toEqual([]);
    expect(typeof rk.nn.utils.clipGradNorm).toBe("function");
    expect(typeof rk.nn.init).toBe("object");
    expect(missing(rk.optim, OPTIM)).toEqual([]);
    expect(missing(rk.optim.lrScheduler, SCHEDULERS)).toEqual([]);
    expect(missing(rk.data, DATA)).toEqual([]);
    expect(missing(rk.io, IO)).toEqual([]);
  });

  it("puts the same loss on rk.nn, rk.F and rk.optim", () => {
    expect(rk.nn.CrossEntropyLoss).toBe(rk.optim.CrossEntropyLoss);
    expect(rk.F.crossEntropy).toBe(rk.optim.crossEntropy);
    expect(rk.nn.functional.linear).toBe(rk.nn.F.linear);
  });

  it("runs a model end to end through the umbrella (values and gradients)", () => {
    rk.manualSeed(0);
    // Namespaces are ES modules, so their classes are types too.
    const lstm: rk.nn.LSTM = new rk.nn.LSTM(3, 4, { numLayers: 2 });
    const opts: rk.nn.LSTMOptions = { numLayers: 2 };
    expect(new rk.nn.LSTM(3, 4, opts).numLayers).toBe(2);
    const head = new rk.nn.Linear(4, 2);
    const [out, [hn, cn]] = lstm.forward(rk.randn([5, 2, 3]));
    expect(out.shape).toEqual([5, 2, 4]);
    expect(hn.shape).toEqual([2, 2, 4]);
    expect(cn.shape).toEqual([2, 2, 4]);
    const loss = rk.F.crossEntropy(head.forward(out).reshape(-1, 2), rk.tensor(Array.from({ length: 10 }, (_, i) => i % 2), { dtype: "int32" }));
    loss.backward();
    expect(lstm.parameters().every((p) => p.grad !== null && p.grad.shape.join() === p.shape.join())).toBe(true);
    const names = lstm.namedParameters().map(([n]) => n);
    expect(names).toEqual([
      "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
    ]);
  });

  it("round-trips a state dict through rk.io with metadata", () => {
    rk.manualSeed(1);
    const a = new rk.nn.GRU(2, 3);
    const bytes = rk.io.saveSafetensors(a.stateDict(), { note: "x" });
    const { tensors, metadata } = rk.io.loadSafetensors(bytes);
    expect(metadata).toEqual({ note: "x" });
    const b = new rk.nn.GRU(2, 3);
    b.loadStateDict(tensors);
    for (const [k, t] of Object.entries(a.stateDict())) expect(Array.from(b.stateDict()[k]!.data())).toEqual(Array.from(t.data()));
  });
});
