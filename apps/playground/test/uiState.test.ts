import { describe, expect, it } from "vitest";
import { defaultConfig, validateConfig } from "../src/config.js";
import { chartData, editConfig, initialState, needsRebuild, onWorkerMessage, predictionHeadline } from "../src/uiState.js";

describe("playground config", () => {
  it("defaults to the classic hello exercise", () => {
    const c = defaultConfig("hello");
    expect(c).toMatchObject({ task: "hello", cell: "rnn-tanh", input: "onehot", hiddenSize: 4, optimizer: "adam", lr: 0.1 });
    expect(validateConfig(c)).toEqual([]);
  });

  it("names the field in every validation error", () => {
    const c = { ...defaultConfig("hello"), hiddenSize: 0, lr: -1, numLayers: 9 };
    const errs = validateConfig(c);
    expect(errs).toHaveLength(3);
    expect(errs[0]).toMatch(/^hiddenSize must be an integer from 1 to 1024, got 0$/);
    expect(errs.join("\n")).toMatch(/numLayers .* got 9/);
    expect(errs.join("\n")).toMatch(/lr must be in \(0, 10\], got -1/);
  });

  it("rejects bidirectional for next-step tasks and short texts", () => {
    expect(validateConfig({ ...defaultConfig("hello"), bidirectional: true })[0]).toMatch(/bidirectional only makes sense/);
    expect(validateConfig({ ...defaultConfig("wordOrigin"), bidirectional: true })).toEqual([]);
    expect(validateConfig({ ...defaultConfig("text"), text: "too short" })[0]).toMatch(/at least 100 characters/);
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

  it("needs a rebuild until the worker reports the same config, and after any edit", () => {
    let s = initialState();
    expect(needsRebuild(s)).toBe(true);
    s = onWorkerMessage(s, { type: "ready", config: s.config, parameters: 52, taskName: "hello", history: [] });
    expect(needsRebuild(s)).toBe(false);
    expect(s.parameters).toBe(52);
    s = editConfig(s, "lr", 0.05);
    expect(needsRebuild(s)).toBe(true);
  });

  it("appends progress points and clears errors; an error stops the run", () => {
    let s = onWorkerMessage(initialState(), { type: "status", running: true });
    s = onWorkerMessage(s, { type: "progress", point: { step: 10, loss: 1.2, valLoss: 1.3 }, stepsPerSec: 500 });
    s = onWorkerMessage(s, { type: "progress", point: { step: 20, loss: 0.9, valLoss: null }, stepsPerSec: 510 });
    expect(s.history.map((p) => p.step)).toEqual([10, 20]);
    expect(chartData(s.history)).toEqual([[10, 20], [1.2, 0.9], [1.3, null]]);
    expect(s.stepsPerSec).toBe(510);
    s = onWorkerMessage(s, { type: "error", message: "Training diverged" });
    expect(s).toMatchObject({ running: false, error: "Training diverged" });
  });

  it("headlines the hello prediction and marks the solved target", () => {
    const p = { kind: "string" as const, target: "ohlol", predicted: "ohlol", symbols: ["e", "l", "h", "o"], probs: [] };
    expect(predictionHeadline(p)).toBe("Predicted: ohlol ✓");
    expect(predictionHeadline({ ...p, predicted: "ollll" })).toBe("Predicted: ollll");
    expect(predictionHeadline(null)).toBe("");
  });
});
