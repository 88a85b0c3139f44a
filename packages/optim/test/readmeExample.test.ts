import { manualSeed, randn, tensor, Tensor } from "@rnnkit/autograd";
import { Linear } from "@rnnkit/nn";
import { describe, expect, it } from "vitest";
import { Adam, clipGradNorm, CrossEntropyLoss, lrScheduler, MSELoss, SGD } from "../src/index.js";

describe("optim with nn modules", () => {
  it("runs the README example: the loss falls and the schedule halves every 20 epochs", () => {
    manualSeed(0);
    const model = new Linear(4, 3);
    const x = randn([8, 4]);
    const y = tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: "int32" });
    const lossFn = new CrossEntropyLoss({ labelSmoothing: 0.1 });
    const opt = new Adam(model.parameters(), { lr: 0.05 });
    const sched = new lrScheduler.StepLR(opt, 20, { gamma: 0.5 });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 60; epoch++) {
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(x), y);
      loss.backward();
      clipGradNorm(model.parameters(), 1.0);
      opt.step();
      sched.step();
      losses.push(loss.item());
    }
    expect(sched.getLastLr()).toEqual([0.00625]);
    expect(losses[59]!).toBeLessThan(losses[0]! * 0.6);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(["0", "1"]);
    expect((sd.state[0]!.step as Tensor).item()).toBe(60);
    expect(sd.param_groups[0]).toMatchObject({ lr: 0.00625, initial_lr: 0.05, weight_decay: 0, amsgrad: false, params: [0, 1] });
  });
  it("clipGradNorm is re-exported and clips the joint norm", () => {
    const p = new Tensor(tensor([1, 1]).value, { requiresGrad: true });
    p.grad = tensor([3, 4]);
    expect(clipGradNorm([p], 1)).toBeCloseTo(5, 5);
    expect(p.grad.norm().item()).toBeCloseTo(1, 5);
  });
  it("SGD fits a linear regression", () => {
    manualSeed(1);
    const model = new Linear(2, 1);
    const x = randn([32, 2]);
    const y = x.matmul(tensor([[2], [-3]])).add(0.5);
    const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const mse = new MSELoss();
    let last = Infinity;
    for (let i = 0; i < 200; i++) {
      opt.zeroGrad();
      const loss = mse.forward(model.forward(x), y);
      loss.backward();
      opt.step();
      last = loss.item();
    }
    expect(last).toBeLessThan(1e-6);
  });
});
