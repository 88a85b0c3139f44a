import { Tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { Adagrad, Adam, AdamW, RMSprop, SGD, type HyperValue, type Optimizer, type OptimizerStateDict, type ParamGroupSpec } from "../src/index.js";
import { expectClose, loadFixture, toTensor, type FixtureTensor } from "./fixture.js";

interface OptimCase {
  name: string;
  optimizer: "SGD" | "Adam" | "AdamW" | "RMSprop" | "Adagrad";
  options: Record<string, HyperValue>;
  groups: { params: number[]; options?: Record<string, HyperValue> }[] | null;
  init: FixtureTensor[];
  steps: { grads: (FixtureTensor | null)[]; params: FixtureTensor[] }[];
  stateDict: TorchStateDict;
  /** torch's state dict after the third step. */
  midStateDict: TorchStateDict;
}

interface TorchStateDict {
  state: Record<string, Record<string, FixtureTensor | number | null>>;
  param_groups: ({ params: number[] } & Record<string, HyperValue>)[];
}

/** A torch state dict from the fixture, with its tensors as rnnkit Tensors. */
function fromTorch(sd: TorchStateDict): OptimizerStateDict {
  const state: OptimizerStateDict["state"] = {};
  for (const [id, st] of Object.entries(sd.state)) {
    state[Number(id)] = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, v !== null && typeof v === "object" ? toTensor(v) : v]));
  }
  return { state, param_groups: sd.param_groups };
}

const { cases } = loadFixture<{ cases: OptimCase[] }>("optim");

function build(c: OptimCase, params: Tensor[]): Optimizer {
  const spec: Tensor[] | ParamGroupSpec[] = c.groups ? c.groups.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options })) : params;
  const o = c.options as never;
  switch (c.optimizer) {
    case "SGD":
      return new SGD(spec, o);
    case "Adam":
      return new Adam(spec, o);
    case "AdamW":
      return new AdamW(spec, o);
    case "RMSprop":
      return new RMSprop(spec, o);
    case "Adagrad":
      return new Adagrad(spec, o);
  }
}

function applyStep(c: OptimCase, opt: Optimizer, params: Tensor[], s: number): void {
  c.steps[s]!.grads.forEach((g, i) => {
    params[i]!.grad = g ? toTensor(g) : null;
  });
  opt.step();
}

function expectParams(c: OptimCase, params: Tensor[], s: number, label: string): void {
  params.forEach((p, i) => expectClose(p, c.steps[s]!.params[i]!, `${c.name} ${label} step ${s + 1} param ${i}`, 1e-4, 1e-5));
}


/** A tensor as the test's JSON round trip writes it. */
function isSavedTensor(v: unknown): v is { __t: number[]; shape: number[] } {
  return v !== null && typeof v === "object" && "__t" in v && "shape" in v;
}

describe("optimizer trajectories match torch 1.13", () => {
  it("covers every optimizer", () => {
    expect(new Set(cases.map((c) => c.optimizer))).toEqual(new Set(["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]));
  });
  for (const c of cases) {
    it(c.name, () => {
      const params = c.init.map((t) => toTensor(t, true));
      const opt = build(c, params);
      for (let s = 0; s < c.steps.length; s++) {
        applyStep(c, opt, params, s);
        expectParams(c, params, s, "");
      }
      const sd = opt.stateDict();
      expect(sd.param_groups.length).toBe(c.stateDict.param_groups.length);
      sd.param_groups.forEach((g, gi) => {
        const expected = c.stateDict.param_groups[gi]!;
        expect(Object.keys(g).sort(), `${c.name} group ${gi} keys`).toEqual(Object.keys(expected).sort());
        for (const [k, v] of Object.entries(g)) expect(v, `${c.name} group ${gi} ${k}`).toEqual(expected[k]);
      });
      expect(Object.keys(sd.state).sort()).toEqual(Object.keys(c.stateDict.state).sort());
      for (const [id, st] of Object.entries(c.stateDict.state)) {
        const mine = sd.state[Number(id)]!;
        expect(Object.keys(mine).sort(), `${c.name} state ${id} keys`).toEqual(Object.keys(st).sort());
        for (const [k, v] of Object.entries(st)) {
          const got = mine[k];
          if (v === null || typeof v === "number") expect(got, `${c.name} state ${id} ${k}`).toBe(v);
          else expectClose(got as Tensor, v, `${c.name} state ${id} ${k}`, 1e-4, 1e-6);
        }
      }
    });
    it(`${c.name}: resuming from stateDict() midway gives the same trajectory`, () => {
      const params = c.init.map((t) => toTensor(t, true));
      const opt = build(c, params);
      for (let s = 0; s < 3; s++) applyStep(c, opt, params, s);
      const saved: OptimizerStateDict = JSON.parse(JSON.stringify(opt.stateDict(), (_k, v: unknown) => (v instanceof Tensor ? { __t: Array.from(v.data()), shape: v.shape } : v)), (_k, v: unknown) =>
        isSavedTensor(v) ? new Tensor(toTensor({ shape: v.shape, dtype: "float32", data: v.__t }).value) : v,
      ) as OptimizerStateDict;
      const resumed = params.map((p) => toTensor({ shape: [...p.shape], dtype: "float32", data: Array.from(p.data()) }, true));
      const fresh = build(c, resumed);
      fresh.loadStateDict(saved);
      for (let s = 3; s < c.steps.length; s++) {
        applyStep(c, fresh, resumed, s);
        expectParams(c, resumed, s, "resumed");
      }
    });
    it(`${c.name}: continues from torch's own state dict`, () => {
      const params = c.steps[2]!.params.map((t) => toTensor(t, true));
      const opt = build(c, params);
      opt.loadStateDict(fromTorch(c.midStateDict));
      for (let s = 3; s < c.steps.length; s++) {
        applyStep(c, opt, params, s);
        expectParams(c, params, s, "from torch");
      }
    });
  }
});

describe("optimizer behaviour", () => {
  const p = () => new Tensor(toTensor({ shape: [2], dtype: "float32", data: [1, 2] }).value, { requiresGrad: true });
  it("rejects invalid hyper-parameters like torch", () => {
    expect(() => new SGD([p()], { lr: -1 })).toThrow("Invalid learning rate: -1");
    expect(() => new SGD([p()], { lr: 0.1, momentum: -0.5 })).toThrow("Invalid momentum value: -0.5");
    expect(() => new SGD([p()], { lr: 0.1, nesterov: true })).toThrow("Nesterov momentum requires a momentum and zero dampening");
    expect(() => new SGD([p()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow("Nesterov momentum requires a momentum and zero dampening");
    expect(() => new SGD([p()])).toThrow("SGD: parameter group didn't specify a value of required optimization parameter lr");
    expect(new SGD([{ params: [p()], lr: 0.5 }]).paramGroups[0]!.lr).toBe(0.5);
    expect(() => new Adam([p()], { betas: [1, 0.9] })).toThrow("Invalid beta parameter at index 0: 1");
    expect(() => new AdamW([p()], { betas: [0.9, -0.1] })).toThrow("Invalid beta parameter at index 1: -0.1");
    expect(() => new Adam([p()], { eps: -1 })).toThrow("Invalid epsilon value: -1");
    expect(() => new Adam([p()], { weightDecay: -1 })).toThrow("Invalid weight_decay value: -1");
    expect(() => new RMSprop([p()], { alpha: -1 })).toThrow("Invalid alpha value: -1");
    expect(() => new Adagrad([p()], { lrDecay: -1 })).toThrow("Invalid lr_decay value: -1");
    expect(() => new Adagrad([p()], { initialAccumulatorValue: -1 })).toThrow("Invalid initial_accumulator_value value: -1");
    expect(() => new Adam([])).toThrow("empty parameter list");
  });
  it("rejects a parameter in two groups and fills group defaults", () => {
    const a = p();
    const b = p();
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.01 });
    expect(opt.paramGroups[0]!.lr).toBe(0.01);
    expect(opt.paramGroups[1]!.lr).toBe(0.5);
    expect(opt.paramGroups[1]!.betas).toEqual([0.9, 0.999]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow("some parameters appear in more than one parameter group");
    opt.addParamGroup({ params: [p()], weightDecay: 0.1 });
    expect(opt.paramGroups[2]!.weightDecay).toBe(0.1);
  });
  it("uses torch's defaults", () => {
    expect(new Adam([p()]).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(new AdamW([p()]).defaults.weightDecay).toBe(0.01);
    expect(new RMSprop([p()]).defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(new Adagrad([p()]).defaults).toMatchObject({ lr: 1e-2, lrDecay: 0, eps: 1e-10, initialAccumulatorValue: 0 });
  });
  it("skips parameters without gradients and zeroGrad clears them", () => {
    const a = p();
    const b = p();
    const opt = new SGD([a, b], { lr: 0.5 });
    a.grad = toTensor({ shape: [2], dtype: "float32", data: [1, -1] });
    opt.step();
    expect(Array.from(a.data())).toEqual([0.5, 2.5]);
    expect(Array.from(b.data())).toEqual([1, 2]);
    expect(opt.state.has(b)).toBe(false);
    opt.zeroGrad(false);
    expect(Array.from(a.grad.data())).toEqual([0, 0]);
    expect(b.grad).toBeNull();
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });
  it("rejects a gradient whose shape differs from its parameter's", () => {
    const a = p();
    a.grad = toTensor({ shape: [3], dtype: "float32", data: [1, 2, 3] });
    expect(() => new Adam([a]).step()).toThrow("Adam.step: gradient of shape [3] does not match its parameter's shape [2]");
  });
  it("zeroGrad(false) zeroes the gradient tensor in place", () => {
    const a = p();
    const g = toTensor({ shape: [2], dtype: "float32", data: [3, 4] });
    a.grad = g;
    new SGD([a], { lr: 1 }).zeroGrad(false);
    expect(a.grad).toBe(g);
    expect(Array.from(g.data())).toEqual([0, 0]);
  });
  it("calls the closure with gradients enabled and returns its loss", () => {
    const a = p();
    const opt = new SGD([a], { lr: 0.1 });
    const loss = opt.step(() => {
      const l = a.mul(a).sum();
      l.backward();
      return l;
    });
    expect((loss as Tensor).item()).toBe(5);
    expect(Array.from(a.data())).toEqual([Math.fround(0.8), Math.fround(1.6)]);
    expect(a.requiresGrad).toBe(true);
  });
  it("loadStateDict checks the group layout", () => {
    const opt = new Adam([p(), p()]);
    expect(() => opt.loadStateDict({ state: {}, param_groups: [] })).toThrow("different number of parameter groups");
    expect(() => opt.loadStateDict({ state: {}, param_groups: [{ params: [0], lr: 0.1 }] })).toThrow("doesn't match the size of optimizer's group");
    opt.loadStateDict({ state: {}, param_groups: [{ params: [0, 1], lr: 0.25, weight_decay: 0.5, betas: [0.5, 0.6] }] });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.25, weightDecay: 0.5, betas: [0.5, 0.6] });
  });
});
