import { manualSeed, tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { Embedding } from "../src/embedding.js";

const idx = (v: number[] | number[][]) => tensor(v, { dtype: "int32" });

describe("Embedding", () => {
  it("looks up rows for indices of any shape", () => {
    const emb = Embedding.fromPretrained(tensor([[0, 1], [2, 3], [4, 5]]));
    expect(emb.forward(idx([[2, 0], [1, 1]])).toArray()).toEqual([[[4, 5], [0, 1]], [[2, 3], [2, 3]]]);
    expect(emb.forward(tensor(1, { dtype: "int32" })).toArray()).toEqual([2, 3]);
    expect(emb.forward(idx([])).shape).toEqual([0, 2]);
  });

  it("zeroes the padding row at init and never gives it a gradient", () => {
    manualSeed(0);
    const emb = new Embedding(5, 3, { paddingIdx: -2 });
    expect(emb.paddingIdx).toBe(3);
    expect(emb.weight.toArray()).toContainEqual([0, 0, 0]);
    emb.forward(idx([3, 3, 1])).sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([[0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it("accumulates the gradient of repeated indices, or averages it with scaleGradByFreq", () => {
    const emb = new Embedding(3, 1);
    emb.forward(idx([0, 0, 2, 0])).sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([[3], [0], [1]]);
    const f = new Embedding(3, 1, { scaleGradByFreq: true });
    f.forward(idx([0, 0, 2, 0])).sum().backward();
    expect(f.weight.grad!.toArray()).toEqual([[1], [0], [1]]);
  });

  it("renormalizes only the looked-up rows above maxNorm, in place", () => {
    const w = tensor([[3, 4], [0.3, 0.4], [6, 8]]);
    const emb = Embedding.fromPretrained(w, { maxNorm: 1 });
    const out = emb.forward(idx([0, 1]));
    expect(out.data()[0]).toBeCloseTo(0.6, 6);
    expect(out.data()[1]).toBeCloseTo(0.8, 6);
    expect((emb.weight.toArray() as number[][])[1]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    expect((emb.weight.toArray() as number[][])[2]).toEqual([6, 8]);
    expect(w.data()[0]).toBeCloseTo(0.6, 6);
  });

  it("fromPretrained shares the weight, freezes by default, and keeps the padding row's values", () => {
    const w = tensor([[1, 1], [2, 2]]);
    const frozen = Embedding.fromPretrained(w, { paddingIdx: 0 });
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.weight.toArray()).toEqual([[1, 1], [2, 2]]);
    expect(frozen.forward(idx([0])).requiresGrad).toBe(false);
    const trainable = Embedding.fromPretrained(w, { freeze: false, paddingIdx: 0 });
    trainable.forward(idx([0, 1])).sum().backward();
    expect(trainable.weight.grad!.toArray()).toEqual([[0, 0], [1, 1]]);
    expect(() => Embedding.fromPretrained(tensor([1, 2]))).toThrow("Embedding.fromPretrained: embeddings must be a 2-D tensor, got shape [2]");
  });

  it("rejects float indices, out-of-range indices and a bad paddingIdx, naming the shapes", () => {
    const emb = new Embedding(5, 2);
    expect(() => emb.forward(tensor([[1, 2]]))).toThrow("Embedding.forward: indices must be an int32 tensor, got float32 of shape [1, 2]");
    expect(() => emb.forward(idx([[1, 5]]))).toThrow("Embedding.forward: index 5 is out of range for 5 embeddings (indices shape [1, 2])");
    expect(() => emb.forward(idx([-1]))).toThrow("Embedding.forward: index -1 is out of range for 5 embeddings (indices shape [1])");
    expect(() => new Embedding(5, 2, { paddingIdx: 5 })).toThrow("Embedding: paddingIdx must be within numEmbeddings (5), got 5");
    expect(() => new Embedding(5, 2, { paddingIdx: -6 })).toThrow(/paddingIdx must be within numEmbeddings/);
  });
});
