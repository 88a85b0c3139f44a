import { Tensor, zeros } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { Adam, lrScheduler, SGD, type Optimizer } from "../src/index.js";
import { loadFixture } from "./fixture.js";

const {
  ConstantLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, ExponentialLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR, OneCycleLR,
  ReduceLROnPlateau, StepLR,
} = lrScheduler;

interface SchedCase {
  name: string;
  scheduler: string;
  optimizer: "SGD" | "Adam";
  lrs: number[];
  args: unknown[];
  options: Record<string, never>;
  lrSequence: number[][];
  momentumSequence: number[][];
  metrics?: number[];
  lambdas?: string[];
}

const { cases } = loadFixture<{ cases: SchedCase[] }>("schedulers");

const LAMBDAS: Record<string, (e: number) => number> = {
  "0.95 ** e": (e) => 0.95 ** e,
  "1 / (e + 1)": (e) => 1 / (e + 1),
  "e % 3 + 1": (e) => (e % 3) + 1,
  "0.9": () => 0.9,
  "0.95": () => 0.95,
};

type AnyScheduler = lrScheduler.LRScheduler | lrScheduler.ReduceLROnPlateau;

function makeOptimizer(c: SchedCase): Optimizer {
  const groups = c.lrs.map((lr) => ({ params: [new Tensor(zeros([2]).value, { requiresGrad: true })], lr }));
  return c.optimizer === "Adam" ? new Adam(groups, { lr: c.lrs[0] }) : new SGD(groups, { lr: c.lrs[0]!, momentum: 0.9 });
}

function makeScheduler(c: SchedCase, opt: Optimizer): AnyScheduler {
  const o = c.options;
  const a = c.args;
  switch (c.scheduler) {
    case "StepLR":
      return new StepLR(opt, a[0] as number, o);
    case "MultiStepLR":
      return new MultiStepLR(opt, a[0] as number[], o);
    case "ExponentialLR":
      return new ExponentialLR(opt, a[0] as number);
    case "CosineAnnealingLR":
      return new CosineAnnealingLR(opt, a[0] as number, o);
    case "OneCycleLR":
      return new OneCycleLR(opt, a[0] as number | number[], o);
    case "ReduceLROnPlateau":
      return new ReduceLROnPlateau(opt, o);
    case "ConstantLR":
      return new ConstantLR(opt, o);
    case "LinearLR":
      return new LinearLR(opt, o);
    case "CosineAnnealingWarmRestarts":
      return new CosineAnnealingWarmRestarts(opt, a[0] as number, o);
    case "MultiplicativeLR": {
      const fns = c.lambdas!.map((s) => LAMBDAS[s]!);
      return new MultiplicativeLR(opt, fns.length === 1 ? fns[0]! : fns);
    }
    case "LambdaLR": {
      const fns = c.lambdas!.map((s) => LAMBDAS[s]!);
      return new LambdaLR(opt, fns.length === 1 ? fns[0]! : fns);
    }
    default:
      throw new Error(`unknown scheduler ${c.scheduler}`);
  }
}

function momentumOf(opt: Optimizer): number[] {
  return opt.paramGroups.map((g) => {
    const betas: unknown = g.betas;
    const beta1: unknown = Array.isArray(betas) ? betas[0] : undefined;
    return typeof beta1 === "number" ? beta1 : (g.momentum as number);
  });
}

function expectSeq(got: number[], want: number[], label: string): void {
  expect(got.length, label).toBe(want.length);
  got.forEach((v, i) => {
    if (!(Math.abs(v - want[i]!) <= 1e-12 + 1e-9 * Math.abs(want[i]!))) expect.fail(`${label}[${i}]: got ${v}, expected ${want[i]}`);
  });
}

function stepOnce(c: SchedCase, s: AnyScheduler, i: number): void {
  if (s instanceof ReduceLROnPlateau) s.step(c.metrics![i]!);
  else s.step();
}

describe("lr schedules match torch 1.13", () => {
  it("covers every scheduler", () => {
    expect(new Set(cases.map((c) => c.scheduler))).toEqual(
      new Set([
        "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "OneCycleLR", "ReduceLROnPlateau", "LambdaLR", "MultiplicativeLR",
        "ConstantLR", "LinearLR", "CosineAnnealingWarmRestarts",
      ]),
    );
  });
  for (const c of cases) {
    it(c.name, () => {
      const opt = makeOptimizer(c);
      const sched = makeScheduler(c, opt);
      expectSeq(opt.paramGroups.map((g) => g.lr), c.lrSequence[0]!, `${c.name} lr at start`);
      for (let i = 1; i < c.lrSequence.length; i++) {
        stepOnce(c, sched, i - 1);
        expectSeq(sched.getLastLr(), c.lrSequence[i]!, `${c.name} lr after step ${i}`);
        expectSeq(opt.paramGroups.map((g) => g.lr), c.lrSequence[i]!, `${c.name} group lr after step ${i}`);
        expectSeq(momentumOf(opt), c.momentumSequence[i]!, `${c.name} momentum after step ${i}`);
      }
    });
    it(`${c.name}: resumes from stateDict()`, () => {
      const opt = makeOptimizer(c);
      const sched = makeScheduler(c, opt);
      const half = Math.floor(c.lrSequence.length / 2);
      for (let i = 1; i <= half; i++) stepOnce(c, sched, i - 1);
      const optState = JSON.parse(JSON.stringify(opt.stateDict().param_groups)) as ReturnType<Optimizer["stateDict"]>["param_groups"];
      const schedState = JSON.parse(JSON.stringify(sched.stateDict(), (_k, v: unknown) => (v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v)), (_k, v: unknown) =>
        v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v,
      ) as lrScheduler.SchedulerStateDict;
      const opt2 = makeOptimizer(c);
      const sched2 = makeScheduler(c, opt2);
      opt2.loadStateDict({ state: {}, param_groups: optState });
      sched2.loadStateDict(schedState);
      for (let i = half + 1; i < c.lrSequence.length; i++) {
        stepOnce(c, sched2, i - 1);
        expectSeq(sched2.getLastLr(), c.lrSequence[i]!, `${c.name} resumed lr after step ${i}`);
      }
    });
  }
});

describe("scheduler behaviour", () => {
  const sgd = (lr = 0.1) => new SGD([new Tensor(zeros([1]).value, { requiresGrad: true })], { lr, momentum: 0.9 });
  it("records initial_lr in the optimizer's groups", () => {
    const opt = sgd(0.3);
    new StepLR(opt, 2);
    expect(opt.stateDict().param_groups[0]!.initial_lr).toBe(0.3);
    expect(() => new StepLR(sgd(), 2, { lastEpoch: 4 })).toThrow("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer");
  });
  it("jumps to an epoch with the closed form", () => {
    const opt = sgd(1);
    const s = new StepLR(opt, 3, { gamma: 0.5 });
    s.step(7);
    expect(s.getLastLr()).toEqual([0.25]);
    const c = new CosineAnnealingLR(sgd(1), 10);
    c.step(5);
    expect(c.getLastLr()[0]).toBeCloseTo(0.5, 12);
  });
  it("rejects bad OneCycleLR and ReduceLROnPlateau settings like torch", () => {
    expect(() => new OneCycleLR(sgd(), 0.1)).toThrow("You must define either total_steps OR (epochs AND steps_per_epoch)");
    expect(() => new OneCycleLR(sgd(), 0.1, { totalSteps: 0 })).toThrow("Expected positive integer total_steps, but got 0");
    expect(() => new OneCycleLR(sgd(), 0.1, { totalSteps: 10, pctStart: 1.5 })).toThrow("Expected float between 0 and 1 pct_start, but got 1.5");
    expect(() => new OneCycleLR(sgd(), [0.1, 0.2], { totalSteps: 10 })).toThrow("expected 1 values for max_lr, got 2");
    const s = new OneCycleLR(sgd(), 0.1, { totalSteps: 3 });
    s.step();
    s.step();
    s.step();
    expect(() => s.step()).toThrow("Tried to step 5 times. The specified number of total steps is 3");
    expect(() => new ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow("Factor should be < 1.0");
    expect(() => new ReduceLROnPlateau(sgd(), { minLr: [0, 1] })).toThrow("expected 1 min_lrs, got 2");
    expect(() => new ReduceLROnPlateau(sgd(), { mode: "up" as "min" })).toThrow("mode up is unknown!");
  });
  it("CosineAnnealingWarmRestarts jumps to fractional epochs; warm-ups check their factors", () => {
    const s = new CosineAnnealingWarmRestarts(sgd(1), 10, { tMult: 2 });
    s.step(25.5);
    expect(s.tCur).toBe(15.5);
    expect(s.tI).toBe(20);
    expect(s.getLastLr()[0]).toBeCloseTo((1 + Math.cos((Math.PI * 15.5) / 20)) / 2, 12);
    expect(() => new CosineAnnealingWarmRestarts(sgd(), 0)).toThrow("Expected positive integer T_0, but got 0");
    expect(() => new ConstantLR(sgd(), { factor: 2 })).toThrow("Constant multiplicative factor expected to be between 0 and 1");
    expect(() => new LinearLR(sgd(), { startFactor: -1 })).toThrow("Starting multiplicative factor expected to be between 0 and 1");
  });
  it("OneCycleLR cycles Adam's beta1 and keeps beta2", () => {
    const opt = new Adam([new Tensor(zeros([1]).value, { requiresGrad: true })], { betas: [0.9, 0.98] });
    new OneCycleLR(opt, 0.01, { totalSteps: 10 });
    expect(opt.paramGroups[0]!.betas).toEqual([0.95, 0.98]);
  });
});
