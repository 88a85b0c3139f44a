import { describe, expect, it } from "vitest";
import { defaultConfig, validateConfig } from "../src/config.js";
import type { LossPoint } from "../src/trainer.js";
import { appendPoint, chartData, MAX_CHART_POINTS, editConfig, initialState, needsBuild, onWorkerMessage, pendingFields, predictionHeadline } from "../src/uiState.js";

describe("playground config", () => {
  it("defaults to the classic hello exercise", () => {
    const c = defaultConfig("hello");
    expect(c).toMatchObject({ task: "hello", cell: "rnn-tanh", input: "onehot", hiddenSize: 4, optimizer: "adam", lr: 0.1 });
    expect(validateConfig(c)).toEqual([]);
  });

  it("names the setting as the page labels it in every validation error", () => {
    const c = { ...defaultConfig("hello"), hiddenSize: 0, lr: -1, numLayers: 9 };
    const errs = validateConfig(c);
    expect(errs.map((e) => e.field)).toEqual(["hiddenSize", "numLayers", "lr"]);
    expect(errs[0]!.message).toBe("Hidden size must be a whole number from 1 to 1024 (got 0).");
    expect(errs[1]!.message).toMatch(/^Layers .* \(got 9\)/);
    expect(errs[2]!.message).toMatch(/^Learning rate must be more than 0 and at most 10 \(got -1\)/);
    for (const e of errs) expect(e.message).not.toMatch(/hiddenSize|numLayers|seqLen|batchSize|embeddingDim|\blr\b/);
  });

  it("ignores settings the task does not use", () => {
    const c = { ...defaultConfig("hello"), seqLen: 0, batchSize: -3, embeddingDim: 0, text: "" };
    expect(validateConfig(c)).toEqual([]);
    expect(validateConfig({ ...defaultConfig("sine"), embeddingDim: 0 })).toEqual([]);
    expect(validateConfig({ ...defaultConfig("text"), text: "x".repeat(500), seqLen: 0 }).map((e) => e.field)).toEqual(["seqLen"]);
  });

  it("rejects bidirectional for next-step tasks, short texts, and texts too short for the sequence length", () => {
    expect(validateConfig({ ...defaultConfig("wordOrigin"), bidirectional: true })).toEqual([]);
    expect(validateConfig({ ...defaultConfig("text"), text: "too short" })[0]!.message).toMatch(/at least 100 characters/);
    const long = validateConfig({ ...defaultConfig("text"), text: "a b c ".repeat(23), seqLen: 512 });
    expect(long[0]).toMatchObject({ field: "text" });
    expect(long[0]!.message).toMatch(/at least 572 characters for a sequence length of 512 \(it has 138\)/);
  });

  it("refuses models too large to train responsively, and allows LSTM and GRU 512 on the text defaults", () => {
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(40);
    for (const cell of ["lstm", "gru"] as const) expect(validateConfig({ ...defaultConfig("text"), text, cell, hiddenSize: 512 })).toEqual([]);
    const big = validateConfig({ ...defaultConfig("text"), text, cell: "lstm", hiddenSize: 1024, numLayers: 4 });
    expect(big).toHaveLength(1);
    expect(big[0]!.message).toMatch(/too large to train responsively/);
  });
});

describe("UI state", () => {
  it("changing the task loads that task's defaults but keeps text and seed", () => {
    let s = initialState();
    s = editConfig(s, "seed", 7);
    s = editConfig(s, "text", "abc");
    s = editConfig(s, "task", "wordOrigin");
    expect(s.config).toMatchObject({ task: "wordOrigin", cell: "gru", input: "embedding", seed: 7, text: "abc" });
  });

  it("turns bidirectional off when the task cannot use it", () => {
    let s = editConfig(initialState(), "task", "wordOrigin");
    s = editConfig(s, "bidirectional", true);
    expect(s.config.bidirectional).toBe(true);
    s = editConfig(s, "task", "sine");
    expect(s.config.bidirectional).toBe(false);
  });

  it("tracks validation errors as the user edits", () => {
    const s = editConfig(initialState(), "hiddenSize", 0);
    expect(s.configErrors).toHaveLength(1);
    expect(editConfig(s, "hiddenSize", 8).configErrors).toEqual([]);
  });

  it("marks edits to a built model as pending (the learning rate is live), and a ready model clears them", () => {
    let s = initialState();
    expect(needsBuild(s)).toBe(true);
    s = onWorkerMessage(s, { type: "ready", config: s.config, parameters: 52, taskName: "hello", step: 0, history: [], message: null });
    expect(needsBuild(s)).toBe(false);
    expect(s.parameters).toBe(52);
    s = editConfig(s, "lr", 0.05);
    expect(pendingFields(s)).toEqual([]);
    s = editConfig(s, "hiddenSize", 16);
    s = editConfig(s, "batchSize", 3); // hello does not use it: never pending
    expect(pendingFields(s)).toEqual(["hiddenSize"]);
    s = onWorkerMessage(s, { type: "lr", lr: 0.05, step: 923 });
    expect(s.activeConfig!.lr).toBe(0.05);
    expect(s.notice).toMatch(/from step 924/);
  });

  it("a rejected build puts the controls back to the running model's settings and shows why", () => {
    let s = initialState();
    const running = s.config;
    s = onWorkerMessage(s, { type: "ready", config: running, parameters: 52, taskName: "hello", step: 7, history: [], message: null });
    s = editConfig(s, "hiddenSize", 64);
    s = onWorkerMessage(s, { type: "rejected", message: "The new settings were not applied: no" });
    expect(s.config).toEqual(running);
    expect(pendingFields(s)).toEqual([]);
    expect(s.error).toMatch(/not applied/);
    expect(s.step).toBe(7);
  });

  it("appends progress points and clears errors; an error stops the run", () => {
    let s = onWorkerMessage(initialState(), { type: "status", running: true, step: 0 });
    const info = { threads: 2, sliceSteps: 5, viewsEveryMs: 250 };
    s = onWorkerMessage(s, { type: "progress", point: { step: 10, loss: 1.2, valLoss: 1.3 }, stepsPerSec: 500, ...info });
    s = onWorkerMessage(s, { type: "progress", point: { step: 20, loss: 0.9, valLoss: null }, stepsPerSec: 510, ...info, threads: 1 });
    expect(s.history.map((p) => p.step)).toEqual([10, 20]);
    expect(chartData(s.history)).toEqual([[10, 20], [1.2, 0.9], [1.3, null]]);
    expect(s.stepsPerSec).toBe(510);
    expect(s.stepsPerSecByThreads).toEqual({ 1: 510, 2: 500 });
    expect(s.step).toBe(20);
    s = onWorkerMessage(s, { type: "error", message: "Training diverged" });
    expect(s).toMatchObject({ running: false, error: "Training diverged" });
  });

  it("thins long loss histories so the chart stays cheap, keeping the newest points whole", () => {
    let h: LossPoint[] = [];
    for (let i = 1; i <= MAX_CHART_POINTS + 10; i++) h = appendPoint(h, { step: i, loss: 1 / i, valLoss: null });
    expect(h.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(h[h.length - 1]!.step).toBe(MAX_CHART_POINTS + 10);
    expect(h[0]!.step).toBe(1);
    const steps = h.map((p) => p.step);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it("headlines the hello prediction and marks the solved target", () => {
    const p = { kind: "string" as const, target: "ohlol", predicted: "ohlol", symbols: ["e", "l", "h", "o"], probs: [] };
    expect(predictionHeadline(p)).toBe("Predicted: ohlol ✓");
    expect(predictionHeadline({ ...p, predicted: "ollll" })).toBe("Predicted: ollll");
    expect(predictionHeadline(null)).toBe("");
  });
});

describe("generated code", () => {
  it("is reproducible: seeded, never Math.random, in both languages and every task", async () => {
    const { rnnkitCode, pytorchCode } = await import("../src/codegen.js");
    for (const task of ["hello", "wordOrigin", "text", "sine"] as const) {
      const c = defaultConfig(task);
      const ts = rnnkitCode(c);
      const py = pytorchCode(c);
      expect(ts).not.toMatch(/Math\.random/);
      expect(ts).toContain(`rk.manualSeed(${c.seed});`);
      expect(py).toContain(`torch.manual_seed(${c.seed})`);
    }
    expect(rnnkitCode(defaultConfig("sine"))).toContain("rk.rand([n, 1])");
  });
});
