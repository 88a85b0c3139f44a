import { randn, tensor, zeros } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { Embedding, init, Linear, LSTM } from "../src/index.js";
import { embedding } from "../src/functional/embedding.js";

// Every in-place write to a parameter moves its version (torch's `_version`), so caches keyed
// on it (packed weights) and the saved-tensor check at backward see the change.
describe("nn writes bump parameter versions", () => {
  it("construction initializes each parameter once (as torch: Linear's weight and bias are at version 1)", () => {
    const l = new Linear(3, 2);
    expect([l.weight.version, l.bias!.version]).toEqual([1, 1]);
  });

  it("loadStateDict, nn.init and copy_/fill_ each bump once", () => {
    const l = new Linear(3, 2);
    const v0 = l.weight.version;
    l.loadStateDict(new Linear(3, 2).stateDict());
    expect(l.weight.version).toBe(v0 + 1);
    init.zeros_(l.weight);
    init.xavierUniform_(l.weight);
    init.uniform_(l.weight.narrow(0, 0, 1), -1, 1); // through a view: the base's counter
    expect(l.weight.version).toBe(v0 + 4);
  });

  it("a max-norm lookup renormalizes the table in place and bumps it", () => {
    const w = zeros([4, 3]);
    w.copy_(randn([4, 3]).mul(5));
    const v = w.version;
    embedding(tensor([0, 2], { dtype: "int32" }), w, { maxNorm: 1 });
    expect(w.version).toBe(v + 1);
  });

  it("an LSTM initialized, then loaded from another, keeps each weight's own counter", () => {
    const a = new LSTM(3, 4);
    const before = a.parameters().map((p) => p.version);
    a.loadStateDict(new LSTM(3, 4).stateDict());
    expect(a.parameters().map((p) => p.version)).toEqual(before.map((v) => v + 1));
  });

  it("an embedding built with paddingIdx zeroes its row in place (version moves, values are zero)", () => {
    const e = new Embedding(5, 3, { paddingIdx: 1 });
    expect(e.weight.version).toBeGreaterThan(0);
    expect(e.weight.index(1).toArray()).toEqual([0, 0, 0]);
  });
});
