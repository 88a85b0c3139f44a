import { randn, tensor } from "@rnnkit/autograd";
import { LSTM, Linear } from "@rnnkit/nn";
import { describe, expect, it } from "vitest";
import { Adam, Adagrad, AdamW, RMSprop, SGD, type Optimizer } from "../src/index.js";
import { loadFixture } from "./fixture.js";

// torch: a loss built, an optimizer step, then backward through the old graph raises, because
// the step changed saved weights in place (tools/parity/inplace.py writes what torch did).
const torch = loadFixture<{ versionsBefore: number[]; versionsAfter: number[]; error: string }>("inplace_step");

const STALE = "one of the variables needed for gradient computation has been modified by an inplace operation";

function twoLayers() {
  const l1 = new Linear(3, 4);
  const l2 = new Linear(4, 2);
  const params = [...l1.parameters(), ...l2.parameters()];
  const loss = l2.forward(l1.forward(randn([5, 3])).tanh()).pow(2).sum();
  return { params, loss };
}

describe("optimizer steps bump parameter versions, and a stale backward raises as torch's", () => {
  it("SGD: versions as torch's (one per init, one per step), then the error", () => {
    const { params, loss } = twoLayers();
    const opt = new SGD(params, { lr: 0.1 });
    loss.backward(undefined, { retainGraph: true });
    expect(params.map((p) => p.version)).toEqual(torch.versionsBefore);
    opt.step();
    expect(params.map((p) => p.version)).toEqual(torch.versionsAfter);
    expect(torch.error).toContain(STALE);
    expect(torch.error).toContain("is at version 2; expected version 1 instead");
    expect(() => loss.backward()).toThrow(/one of the variables .* is at version 2; expected version 1 instead\. It was saved by linear and last modified by SGD\.step/);
  });

  const makers: [string, (ps: ReturnType<typeof twoLayers>["params"]) => Optimizer][] = [
    ["Adam", (ps) => new Adam(ps)],
    ["AdamW", (ps) => new AdamW(ps)],
    ["RMSprop", (ps) => new RMSprop(ps, { momentum: 0.9, centered: true })],
    ["Adagrad", (ps) => new Adagrad(ps)],
  ];
  for (const [name, make] of makers) {
    it(`${name}.step bumps every stepped parameter once and names itself`, () => {
      const { params, loss } = twoLayers();
      const opt = make(params);
      loss.backward(undefined, { retainGraph: true });
      const before = params.map((p) => p.version);
      opt.step();
      expect(params.map((p) => p.version)).toEqual(before.map((v) => v + 1));
      expect(() => loss.backward()).toThrow(`last modified by ${name}.step`);
    });
  }

  it("a fused LSTM's backward after a step raises instead of using the new weights", () => {
    const lstm = new LSTM(3, 4, { numLayers: 2 });
    const [out] = lstm.forward(randn([6, 2, 3]));
    const loss = out.sum();
    loss.backward(undefined, { retainGraph: true });
    new SGD(lstm.parameters(), { lr: 0.1 }).step();
    expect(() => loss.backward()).toThrow(STALE);
  });

  it("a graph built after the step trains normally", () => {
    const { params } = twoLayers();
    const opt = new SGD(params, { lr: 0.1 });
    opt.step();
    const w = tensor([1, 2], { requiresGrad: true });
    w.mul(w).sum().backward();
    expect(w.grad!.toArray()).toEqual([2, 4]);
  });
});
