import { describe, expect, it } from "vitest";
import * as rk from "rnnkit";
import { defaultConfig, type CellType } from "../src/config.js";
import { Trainer } from "../src/trainer.js";

function trainHello(cell: CellType, steps: number): Trainer {
  const t = new Trainer({ ...defaultConfig("hello"), cell });
  for (let i = 0; i < steps; i++) t.trainStep();
  return t;
}

describe("playground trainer (the worker's logic, in Node)", () => {
  for (const cell of ["rnn-tanh", "rnn-relu", "lstm", "gru"] as const) {
    it(`learns hello → ohlol with ${cell}`, () => {
      const t = trainHello(cell, 60);
      const p = t.predictions();
      expect(p.kind).toBe("string");
      if (p.kind === "string") expect(p.predicted).toBe("ohlol");
      expect(t.validationLoss()).toBeLessThan(0.5);
    });
  }

  it("is reproducible for a seed", () => {
    const a = trainHello("gru", 5).validationLoss();
    const b = trainHello("gru", 5).validationLoss();
    expect(a).toBe(b);
  });

  it("inspects hidden states, LSTM gates and cell state with the right shapes", () => {
    const t = new Trainer({ ...defaultConfig("hello"), cell: "lstm", hiddenSize: 6, numLayers: 2 });
    const ins = t.inspect();
    expect(ins.hidden).toHaveLength(2);
    expect(ins.hidden[0]!.values).toHaveLength(6);
    expect(ins.hidden[0]!.values[0]).toHaveLength(5);
    expect(ins.gates.map((g) => g.title)).toEqual(["gate i (layer 0)", "gate f (layer 0)", "gate g (layer 0)", "gate o (layer 0)", "cell state c (layer 0)"]);
    expect(ins.weights.map((w) => [w.title, w.values.length, w.values[0]!.length])).toEqual([["weight_ih_l0", 24, 4], ["weight_hh_l0", 24, 6]]);
  });

  it("recomputes the same hidden states as the model's own forward", () => {
    const t = new Trainer({ ...defaultConfig("hello"), cell: "gru", hiddenSize: 5, numLayers: 2 });
    const ins = t.inspect();
    const { x } = t.task.example();
    const [out] = rk.noGrad(() => (t.model.rnn as rk.nn.GRU).forward(t.model.encode(x)));
    const top = (out.select(0, 0).toArray() as number[][]); // [T, H]
    const fromInspect = ins.hidden[1]!.values; // [H][T]
    top.forEach((row, tt) => row.forEach((v, j) => expect(fromInspect[j]![tt]).toBeCloseTo(v, 5)));
  });

  it("saves a checkpoint and loads it into a fresh trainer with identical predictions", () => {
    const t = trainHello("lstm", 30);
    const bytes = t.saveCheckpoint();
    const u = new Trainer({ ...defaultConfig("hello"), cell: "lstm" });
    u.loadWeights(bytes);
    expect(u.step).toBe(30);
    expect(u.validationLoss()).toBeCloseTo(t.validationLoss(), 6);
  });

  it("rejects a checkpoint of another shape, naming the tensor", () => {
    const bytes = trainHello("gru", 1).saveCheckpoint();
    const u = new Trainer({ ...defaultConfig("hello"), cell: "gru", hiddenSize: 5 });
    expect(() => u.loadWeights(bytes)).toThrow(/size mismatch for rnn\.weight_ih_l0/);
    expect(() => u.loadWeights(new Uint8Array([1, 2, 3]))).toThrow(/not a readable safetensors checkpoint/);
  });

  it("trains the word-origin, text and sine tasks (loss falls)", () => {
    const text = rk.data.kjvText().slice(0, 20000);
    for (const config of [
      { ...defaultConfig("wordOrigin"), hiddenSize: 32, bidirectional: true },
      { ...defaultConfig("text"), text, hiddenSize: 48, seqLen: 24 },
      { ...defaultConfig("sine"), hiddenSize: 16, seqLen: 20 },
    ]) {
      const t = new Trainer(config);
      const before = t.validationLoss();
      for (let i = 0; i < 40; i++) t.trainStep();
      expect(t.validationLoss()).toBeLessThan(before);
      expect(t.predictions().kind).toBe(config.task === "wordOrigin" ? "classes" : config.task === "text" ? "sample" : "series");
      expect(t.inspect().hidden.length).toBe(1);
    }
  });
});
