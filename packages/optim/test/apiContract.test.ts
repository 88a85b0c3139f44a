import { describe, expect, it } from "vitest";
import { manualSeed, ones, tensor } from "@rnnkit/autograd";
import { Linear } from "@rnnkit/nn";
import {
  Adagrad, Adam, AdamW, BCEWithLogitsLoss, HuberLoss, L1Loss, MSELoss, RMSprop, SGD, SmoothL1Loss,
  binaryCrossEntropyWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, smoothL1Loss,
} from "@rnnkit/optim";

function hyper(group: object): Record<string, unknown> {
  const { params, ...rest } = group as Record<string, unknown>;
  void params;
  return rest;
}

describe("optim API contract", () => {
  it("elementwise losses name themselves when input and target do not broadcast", () => {
    const a = ones([3]);
    const b = ones([2]);
    expect(() => mseLoss(a, b)).toThrow(/^mseLoss: target shape \[2\] cannot be broadcast with input shape \[3\]$/);
    expect(() => l1Loss(a, b)).toThrow(/^l1Loss: target shape \[2\] /);
    expect(() => smoothL1Loss(a, b)).toThrow(/^smoothL1Loss: target shape \[2\] /);
    expect(() => huberLoss(a, b)).toThrow(/^huberLoss: target shape \[2\] /);
    expect(() => new MSELoss().forward(a, b)).toThrow(/^mseLoss: /);
    expect(() => new L1Loss().forward(a, b)).toThrow(/^l1Loss: /);
    expect(() => new SmoothL1Loss().forward(a, b)).toThrow(/^smoothL1Loss: /);
    expect(() => new HuberLoss().forward(a, b)).toThrow(/^huberLoss: /);
    // broadcasting shapes still work as in torch: [3, 1] against [3] gives a [3, 3] difference
    expect(mseLoss(tensor([[1], [2], [3]]), tensor([1, 2, 3]), { reduction: "sum" }).item()).toBe(12);
  });

  it("logits of magnitude 1e4 give finite losses and gradients", () => {
    const z = tensor([[1e4, -1e4, 0]], { requiresGrad: true });
    const ce = crossEntropy(z, tensor([1], { dtype: "int32" }));
    expect(ce.item()).toBe(20000);
    ce.backward();
    expect(z.grad?.toArray()).toEqual([[1, -1, 0]]);
    const w = tensor([1e4, -1e4], { requiresGrad: true });
    const bce = binaryCrossEntropyWithLogits(w, tensor([0, 1]), { posWeight: tensor([2]) });
    expect(bce.item()).toBe(15000);
    bce.backward();
    expect(w.grad?.toArray()).toEqual([0.5, -1]);
    expect(new BCEWithLogitsLoss({ posWeight: tensor([2]) }).forward(tensor([1e4, -1e4]), tensor([0, 1])).item()).toBe(15000);
  });

  it("optimizer defaults are torch's", () => {
    const p = () => [ones([1], { requiresGrad: true })];
    expect(hyper(new SGD(p(), { lr: 0.1 }).paramGroups[0]!)).toMatchObject({ momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(hyper(new Adam(p()).paramGroups[0]!)).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(hyper(new AdamW(p()).paramGroups[0]!)).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false });
    expect(hyper(new RMSprop(p()).paramGroups[0]!)).toMatchObject({ lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false });
    expect(hyper(new Adagrad(p()).paramGroups[0]!)).toMatchObject({ lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(() => new SGD(p())).toThrow(/SGD: .*lr/);
  });

  it("an optimizer resumed from its stateDict continues exactly", () => {
    const model = () => { manualSeed(1); return new Linear(3, 2); };
    const train = (m: Linear, o: Adam, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        o.zeroGrad();
        m.forward(ones([1, 3]).mul(i + 1)).square().sum().backward();
        o.step();
      }
    };
    const opts = { lr: 0.1, amsgrad: true, weightDecay: 0.1 };
    const a = model();
    train(a, new Adam(a.parameters(), opts), 0, 6);
    const b = model();
    const ob = new Adam(b.parameters(), opts);
    train(b, ob, 0, 3);
    const saved = JSON.parse(JSON.stringify({ lr: ob.stateDict().param_groups })) as { lr: { lr: number }[] };
    expect(saved.lr[0]!.lr).toBe(0.1);
    const c = model();
    c.loadStateDict(b.stateDict());
    const oc = new Adam(c.parameters(), { lr: 0.5 });
    oc.loadStateDict(ob.stateDict());
    expect(oc.paramGroups[0]!.lr).toBe(0.1);
    train(c, oc, 3, 6);
    expect(Array.from(c.weight.data())).toEqual(Array.from(a.weight.data()));
    expect(Array.from(c.bias!.data())).toEqual(Array.from(a.bias!.data()));
  });
});
