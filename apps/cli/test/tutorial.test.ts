import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, rnnkit } from "./helpers.js";

beforeAll(ensureBuilt, 120_000);

const MODELS = ["rnncell", "rnn", "embedding-rnn", "lstm-manual", "lstm", "gru"];

describe("rnnkit tutorial", () => {
  it("--model all: every exercise prints 15 epochs, reaches \"ohlol\", and the table summarises them", () => {
    const r = rnnkit(["tutorial", "--model", "all"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const sections = r.stdout.split(/^== /m).slice(1);
    expect(sections.map((s) => s.slice(0, s.indexOf(":")))).toEqual(MODELS);
    for (const s of sections) {
      const epochs = [...s.matchAll(/^Predicted: ([ehlo]{5}), Epoch \[(\d+)\/15\] loss=(\d+\.\d{4})$/gm)];
      expect(epochs.map((m) => Number(m[2]))).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(epochs[14]![1]).toBe("ohlol");
      // Training lowers the loss.
      expect(Number(epochs[14]![3])).toBeLessThan(Number(epochs[0]![3]));
    }
    const rows = r.stdout.slice(r.stdout.indexOf("model  ")).split("\n").slice(2).filter((l) => l.trim());
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(MODELS);
    const params = rows.map((l) => Number(l.split(/\s+/)[1]));
    // RNNCell/RNN(4, 4): 2·16 + 2·4; Embedding 40 + RNN(10, 8)×2 layers + Linear(8, 4).
    expect(params.slice(0, 3)).toEqual([40, 40, 40 + (80 + 64 + 16) + (64 + 64 + 16) + 36]);
    // Both LSTMs have the same parameter count (the hand-written one has the same weights).
    expect(params[3]).toBe(params[4]);
    for (const l of rows) expect(l.split(/\s+/)[2]).toMatch(/^\d+$/);
    // Exercise 3: the hand-written LSTM equals nn.LSTM given the same weights.
    const diff = /The same weights in nn\.LSTM give the same outputs: max \|difference\| = (\S+)/.exec(r.stdout);
    expect(Number(diff![1])).toBeLessThan(1e-5);
  });

  it("--model rnncell alone prints no table, and the RNN version learns identically", () => {
    const cell = rnnkit(["tutorial", "--model", "rnncell", "--seed", "3"]);
    const rnn = rnnkit(["tutorial", "--model", "rnn", "--seed", "3"]);
    expect(cell.status).toBe(0);
    expect(cell.stdout).not.toContain("parameters");
    // Same initial weights (same registration order) and same data: the same predictions.
    const preds = (s: string): string[] => [...s.matchAll(/Predicted: (\w+)/g)].map((m) => m[1]!);
    expect(preds(cell.stdout)).toEqual(preds(rnn.stdout));
  });
});
