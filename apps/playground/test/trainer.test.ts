import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kjvText } from "@rnnkit/dataset-kjv";
import { wordOrigin } from "@rnnkit/dataset-word-origin";
import * as rk from "rnnkit";
import { defaultConfig, type CellType } from "../src/config.js";
import { heatmapOf } from "../src/inspect.js";
import { runRecurrent } from "../src/model.js";
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
    expect([ins.hidden[0]!.rows, ins.hidden[0]!.cols]).toEqual([6, 5]);
    expect(ins.gates.map((g) => g.title)).toEqual(["gate i (layer 0)", "gate f (layer 0)", "gate g (layer 0)", "gate o (layer 0)", "cell state c (layer 0)"]);
    expect(ins.weights.map((w) => [w.title, w.rows, w.cols])).toEqual([["weight_ih_l0", 24, 4], ["weight_hh_l0", 24, 6]]);
  });

  it("recomputes the same hidden states as the model's own forward", () => {
    const t = new Trainer({ ...defaultConfig("hello"), cell: "gru", hiddenSize: 5, numLayers: 2 });
    const ins = t.inspect();
    const { x } = t.task.example();
    const [out] = rk.noGrad(() => (t.model.rnn as rk.nn.GRU).forward(t.model.encode(x)));
    const top = (out.select(0, 0).toArray() as number[][]); // [T, H]
    const m = ins.hidden[1]!; // [H][T]
    top.forEach((row, tt) => row.forEach((v, j) => expect(m.values[j * m.cols + tt]).toBeCloseTo(v, 5)));
  });

  for (const cell of ["lstm", "gru", "rnn-tanh"] as const) {
    it(`inspects a bidirectional 3-layer ${cell} (word origin, embedding): both directions of every layer equal the model's forward`, () => {
      const t = new Trainer({ ...defaultConfig("wordOrigin"), cell, hiddenSize: 8, numLayers: 3, bidirectional: true, batchSize: 4 });
      for (let i = 0; i < 2; i++) t.trainStep();
      const ins = t.inspect();
      expect(ins.hidden.map((h) => h.title)).toEqual([0, 1, 2].flatMap((l) => [`hidden state, layer ${l}, forward`, `hidden state, layer ${l}, backward`]));
      expect(ins.weights.map((w) => w.title)).toEqual(["weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse"]);
      if (cell !== "rnn-tanh") expect(ins.gates.some((g) => g.title.endsWith("backward)"))).toBe(true);
      const { x } = t.task.example();
      const [out] = rk.noGrad(() => runRecurrent(t.model.rnn, t.model.encode(x), undefined));
      const top = out.select(0, 0).toArray() as number[][]; // [T, 2H]: forward then backward
      const [fwd, bwd] = [ins.hidden[4]!, ins.hidden[5]!];
      top.forEach((row, tt) => row.forEach((v, j) => {
        const m = j < 8 ? fwd : bwd;
        expect(m.values[(j % 8) * m.cols + tt]).toBeCloseTo(v, 5);
      }));
    });
  }

  it("down-samples large matrices to at most 128 × 160 cells, keeping the largest magnitudes and saying so", () => {
    const src = new Float32Array(2048 * 512).fill(0.01);
    src[1000 * 512 + 300] = -3;
    const m = heatmapOf("w", src, 2048, 512, String, null);
    expect([m.rows, m.cols]).toEqual([128, 128]);
    expect(m.maxAbs).toBe(3);
    expect(m.values[Math.floor(1000 / 16) * 128 + Math.floor(300 / 4)]).toBe(-3);
    expect(m.note).toMatch(/2048×512 shown as 128×128/);
    expect(m.rowLabels[0]).toBe("0–15");
    expect(heatmapOf("small", [1, 2, 3, 4], 2, 2, String, null).note).toBeUndefined();
  });

  it("changes the learning rate of the running optimizer, keeping the step count and the optimizer state", () => {
    const a = trainHello("lstm", 10);
    const b = trainHello("lstm", 10);
    a.setLearningRate(0.01);
    expect(a.step).toBe(10);
    expect(a.learningRate).toBe(0.01);
    expect(a.config.lr).toBe(0.01);
    a.trainStep();
    b.trainStep();
    expect(a.step).toBe(11);
    // A smaller step from the same Adam state moves the loss less than the full one did.
    expect(a.validationLoss()).not.toBe(b.validationLoss());
    expect(() => a.setLearningRate(-1)).toThrow(/Learning rate must be more than 0/);
  });

  it("loads a playground checkpoint with its own settings whatever the screen shows, restoring the step", () => {
    const t = trainHello("lstm", 30);
    const { trainer: u, message } = Trainer.fromCheckpoint(t.saveCheckpoint(), { ...defaultConfig("sine"), cell: "gru", hiddenSize: 99 });
    expect(u.config).toMatchObject({ task: "hello", cell: "lstm", hiddenSize: 4 });
    expect(u.step).toBe(30);
    expect(u.validationLoss()).toBeCloseTo(t.validationLoss(), 6);
    expect(message).toMatch(/^Loaded a playground checkpoint: hello → ohlol, LSTM, Hidden size 4, Layers 1, step 30\./);
    expect(() => Trainer.fromCheckpoint(new Uint8Array([1, 2, 3]), defaultConfig("hello"))).toThrow(/not a readable safetensors checkpoint/);
  });

  it("loads a bare state dict (PyTorch's save_file) with settings read from its shapes, in page terms when it cannot", () => {
    const src = new Trainer({ ...defaultConfig("hello"), cell: "lstm", hiddenSize: 6, numLayers: 2 });
    const bare = rk.io.saveSafetensors(src.model.stateDict());
    const { trainer: u, message } = Trainer.fromCheckpoint(bare, defaultConfig("hello"));
    expect(u.config).toMatchObject({ cell: "lstm", hiddenSize: 6, numLayers: 2, input: "onehot" });
    expect(u.validationLoss()).toBeCloseTo(src.validationLoss(), 6);
    expect(message).toMatch(/state dict/);
    const sd = src.model.stateDict();
    const wrongVocab = rk.io.saveSafetensors({ ...sd, "fc.weight": rk.zeros([7, 6]), "fc.bias": rk.zeros([7]) });
    let err = "";
    try {
      Trainer.fromCheckpoint(wrongVocab, defaultConfig("hello"));
    } catch (e) {
      err = (e as Error).message;
    }
    expect(err).toMatch(/fc\.weight is 7×6 in the file but 4×6 for the settings LSTM, Hidden size 6, Layers 2/);
    expect(err).not.toMatch(/PlaygroundNet|state_dict for/);
    expect(() => Trainer.fromCheckpoint(rk.io.saveSafetensors({ w: rk.zeros([2]) }), defaultConfig("hello"))).toThrow(/no rnnkit settings/);
  });

  it("loads a state dict saved by PyTorch into a model built from its shapes, giving torch's outputs", () => {
    const dir = new URL("./fixtures/", import.meta.url);
    const bytes = new Uint8Array(readFileSync(new URL("torch-lstm-hello.safetensors", dir)));
    const want = JSON.parse(readFileSync(new URL("torch-lstm-hello.json", dir), "utf8")) as { logits: number[][] };
    // The screen shows a GRU with hidden size 4: the file's shapes decide instead.
    const { trainer } = Trainer.fromCheckpoint(bytes, { ...defaultConfig("hello"), cell: "gru" });
    expect(trainer.config).toMatchObject({ cell: "lstm", hiddenSize: 5, numLayers: 2, input: "onehot" });
    const [out] = rk.noGrad(() => trainer.model.forward(trainer.task.example().x));
    const got = out.select(0, 0).toArray() as number[][];
    want.logits.forEach((row, t) => row.forEach((v, k) => expect(got[t]![k]).toBeCloseTo(v, 5)));
  });

  it("loads CLI checkpoints (rnnkit.charlm with embed.*/head.*, rnnkit.classifier with a padding id) and compares vocabularies", () => {
    const text = kjvText().slice(0, 3000);
    const chars = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const lm = new Trainer({ ...defaultConfig("text"), text, cell: "gru", embeddingDim: 8, hiddenSize: 12, numLayers: 2 });
    const rename = (sd: Record<string, rk.Tensor>) => Object.fromEntries(Object.entries(sd).map(([k, v]) => [k.replace(/^embedding\./, "embed.").replace(/^fc\./, "head."), v]));
    const charlm = rk.io.saveSafetensors({ ...rename(lm.model.stateDict()), "optim.state.0.exp_avg": rk.zeros([2]) }, {
      format: "rnnkit.charlm",
      config: JSON.stringify({ model: "gru", vocabSize: chars.length, embedding: 8, hidden: 12, layers: 2, dropout: 0.1 }),
      vocab: JSON.stringify(chars),
      summary: JSON.stringify({ data: "x", epochs: 1, steps: 9297 }),
    });
    const { trainer: u, message } = Trainer.fromCheckpoint(charlm, { ...defaultConfig("hello"), text });
    expect(u.config).toMatchObject({ task: "text", cell: "gru", input: "embedding", embeddingDim: 8, hiddenSize: 12, numLayers: 2 });
    expect(u.step).toBe(9297);
    expect(u.validationLoss()).toBeCloseTo(lm.validationLoss(), 5);
    expect(message).toMatch(/rnnkit CLI character model/);
    // A text the vocabulary does not cover is refused, unless the bundled text fits it.
    expect(() => Trainer.fromCheckpoint(charlm, { ...defaultConfig("text"), text: "ÄÖÜ ".repeat(100) })).toThrow(/3 character\(s\) the model's vocabulary of \d+ lacks/);
    const fallback = Trainer.fromCheckpoint(charlm, defaultConfig("hello"), () => text);
    expect(fallback.message).toMatch(/trains on the bundled text/);
    expect(fallback.trainer.step).toBe(9297);

    const words = wordOrigin({ split: "all" });
    const wo = new Trainer({ ...defaultConfig("wordOrigin"), cell: "lstm", hiddenSize: 10, batchSize: 4 }, ["<pad>", ...words.vocab.tokens]);
    const classifier = rk.io.saveSafetensors(rename(wo.model.stateDict()), {
      format: "rnnkit.classifier",
      config: JSON.stringify({ model: "lstm", vocabSize: words.vocab.size + 1, embedding: 16, hidden: 10, layers: 1, numClasses: 8, lowercase: true }),
      vocab: JSON.stringify(words.vocab.tokens),
      labels: JSON.stringify(words.labelNames),
    });
    const c = Trainer.fromCheckpoint(classifier, defaultConfig("hello")).trainer;
    expect(c.config).toMatchObject({ task: "wordOrigin", cell: "lstm", hiddenSize: 10 });
    expect(c.task.symbols[0]).toBe("<pad>");
    expect(c.validationLoss()).toBeCloseTo(wo.validationLoss(), 5);
    const otherLabels = rk.io.saveSafetensors(rename(wo.model.stateDict()), {
      format: "rnnkit.classifier",
      config: JSON.stringify({ model: "lstm", vocabSize: words.vocab.size + 1, embedding: 16, hidden: 10, layers: 1, numClasses: 8, lowercase: true }),
      vocab: JSON.stringify(words.vocab.tokens),
      labels: JSON.stringify(["a", "b", "c", "d", "e", "f", "g", "h"]),
    });
    expect(() => Trainer.fromCheckpoint(otherLabels, defaultConfig("hello"))).toThrow(/classifies into a, b, c/);
  });

  it("trains the word-origin, text and sine tasks (loss falls)", () => {
    const text = kjvText().slice(0, 20000);
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
      expect(t.inspect().hidden.length).toBe(config.bidirectional ? 2 : 1);
    }
  });
});
