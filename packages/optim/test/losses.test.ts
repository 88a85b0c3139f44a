import { gradcheck, randn, tensor, type Tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, functional as F, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss, type Reduction,
} from "../src/index.js";
import { expectClose, loadFixture, toTensor, type FixtureTensor } from "./fixture.js";

interface LossCase {
  name: string;
  input: FixtureTensor;
  target: FixtureTensor;
  opts: {
    reduction: Reduction;
    weight?: FixtureTensor;
    posWeight?: FixtureTensor;
    ignoreIndex?: number;
    labelSmoothing?: number;
    beta?: number;
    delta?: number;
  };
  output: FixtureTensor;
  gradOutput: FixtureTensor;
  grad: FixtureTensor;
}

const { cases } = loadFixture<{ cases: LossCase[] }>("losses");

/** Runs one fixture case through the functional form and through the module form. */
function runCase(c: LossCase, useModule: boolean): { out: Tensor; x: Tensor } {
  const x = toTensor(c.input, true);
  const y = toTensor(c.target);
  const o = c.opts;
  const weight = o.weight ? toTensor(o.weight) : undefined;
  const posWeight = o.posWeight ? toTensor(o.posWeight) : undefined;
  const kind = c.name.split(" ")[0]!;
  const classOpts = { reduction: o.reduction, weight, ignoreIndex: o.ignoreIndex, labelSmoothing: o.labelSmoothing };
  switch (kind) {
    case "crossEntropy":
      return { x, out: useModule ? new CrossEntropyLoss(classOpts).forward(x, y) : F.crossEntropy(x, y, classOpts) };
    case "nllLoss":
      return { x, out: useModule ? new NLLLoss(classOpts).forward(x, y) : F.nllLoss(x, y, classOpts) };
    case "mseLoss":
      return { x, out: useModule ? new MSELoss(o).forward(x, y) : F.mseLoss(x, y, o) };
    case "l1Loss":
      return { x, out: useModule ? new L1Loss(o).forward(x, y) : F.l1Loss(x, y, o) };
    case "smoothL1Loss":
      return { x, out: useModule ? new SmoothL1Loss(o).forward(x, y) : F.smoothL1Loss(x, y, o) };
    case "huberLoss":
      return { x, out: useModule ? new HuberLoss(o).forward(x, y) : F.huberLoss(x, y, o) };
    case "bceWithLogits":
      return {
        x,
        out: useModule
          ? new BCEWithLogitsLoss({ reduction: o.reduction, weight, posWeight }).forward(x, y)
          : F.binaryCrossEntropyWithLogits(x, y, { reduction: o.reduction, weight, posWeight }),
      };
    case "bce":
      return { x, out: useModule ? new BCELoss({ reduction: o.reduction, weight }).forward(x, y) : F.binaryCrossEntropy(x, y, { reduction: o.reduction, weight }) };
    default:
      throw new Error(`unknown fixture kind ${kind}`);
  }
}

describe("losses match torch 1.13 (value and input gradient)", () => {
  it("has fixtures for every loss", () => {
    const kinds = new Set(cases.map((c) => c.name.split(" ")[0]));
    expect([...kinds].sort()).toEqual(["bce", "bceWithLogits", "crossEntropy", "huberLoss", "l1Loss", "mseLoss", "nllLoss", "smoothL1Loss"]);
  });
  for (const c of cases) {
    it(c.name, () => {
      const { x, out } = runCase(c, false);
      expectClose(out, c.output, `${c.name} value`, 1e-5, 1e-5);
      out.backward(toTensor(c.gradOutput));
      expectClose(x.grad!, c.grad, `${c.name} grad`, 1e-4, 1e-5);
      const viaModule = runCase(c, true).out;
      expectClose(viaModule, c.output, `${c.name} module value`, 1e-5, 1e-5);
    });
  }
});

describe("loss gradients pass float64 finite differences", () => {
  const f64 = (shape: number[], scale = 1) => randn(shape).mul(scale).to("float64").requiresGrad_();
  it("crossEntropy with weight, ignoreIndex and label smoothing, index and probability targets", () => {
    const x = f64([3, 4, 2], 2);
    const t = tensor([[1, 0], [3, 2], [2, 2]], { dtype: "int32" });
    const weight = tensor([0.5, 1, 2, 0.7]);
    expect(gradcheck((a) => F.crossEntropy(a, t, { weight, ignoreIndex: 2, labelSmoothing: 0.2 }), [x])).toBe(true);
    const probs = randn([3, 4, 2]).softmax(1).to("float64");
    expect(gradcheck((a) => F.crossEntropy(a, probs, { weight, labelSmoothing: 0.1, reduction: "sum" }), [x])).toBe(true);
  });
  it("BCE with logits (weight, posWeight) and BCE", () => {
    const x = f64([4, 3], 3);
    const y = randn([4, 3]).sigmoid().to("float64");
    expect(gradcheck((a) => F.binaryCrossEntropyWithLogits(a, y, { weight: tensor([1, 2, 3]), posWeight: tensor([0.5, 2, 4]) }), [x])).toBe(true);
    const p = randn([4, 3]).sigmoid().to("float64").requiresGrad_();
    expect(gradcheck((a) => F.binaryCrossEntropy(a, y, { weight: tensor([1, 2, 3]) }), [p])).toBe(true);
  });
  it("smooth L1 and Huber", () => {
    const x = f64([5, 2], 2);
    const y = randn([5, 2]).to("float64");
    expect(gradcheck((a) => F.smoothL1Loss(a, y, { beta: 0.7 }), [x])).toBe(true);
    expect(gradcheck((a) => F.huberLoss(a, y, { delta: 0.7, reduction: "sum" }), [x])).toBe(true);
  });
});

describe("loss errors name the op, the argument and the shapes", () => {
  const logits = tensor([[1, 2, 3], [4, 5, 6]]);
  it("rejects float targets that are not class probabilities", () => {
    expect(() => F.crossEntropy(logits, tensor([0, 1]))).toThrow(/crossEntropy: a float target .*\[2, 3\].*got shape \[2\]/);
    expect(() => F.nllLoss(logits, tensor([0, 1]))).toThrow(/nllLoss: class-index target must be int32, got float32/);
  });
  it("rejects out-of-range classes", () => {
    expect(() => F.crossEntropy(logits, tensor([0, 3], { dtype: "int32" }))).toThrow("crossEntropy: target 3 is out of bounds for 3 classes");
    expect(() => F.nllLoss(logits, tensor([-2, 0], { dtype: "int32" }))).toThrow("nllLoss: target -2 is out of bounds for 3 classes");
  });
  it("rejects target shape mismatches", () => {
    expect(() => F.crossEntropy(logits, tensor([0, 1, 2], { dtype: "int32" }))).toThrow(/target shape \[3\] does not match input shape \[2, 3\]/);
    expect(() => F.binaryCrossEntropyWithLogits(tensor([1, 2]), tensor([[1, 0]]))).toThrow(/target shape \[1, 2\] must match input shape \[2\]/);
  });
  it("rejects bad weights, reductions and label smoothing", () => {
    const t = tensor([0, 1], { dtype: "int32" });
    expect(() => F.crossEntropy(logits, t, { weight: tensor([1, 2]) })).toThrow(/weight must be 1-D with one entry per class \(3\), got shape \[2\]/);
    expect(() => F.crossEntropy(logits, t, { reduction: "avg" as Reduction })).toThrow(/reduction must be/);
    expect(() => F.crossEntropy(logits, t, { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be between 0.0 and 1.0, got 1.5/);
    expect(() => F.binaryCrossEntropy(tensor([1.5]), tensor([1]))).toThrow(/between 0 and 1/);
  });
  it("stays finite for 1e4 logits", () => {
    const x = tensor([[1e4, -1e4], [-1e4, 1e4]], { requiresGrad: true });
    const loss = F.crossEntropy(x, tensor([1, 1], { dtype: "int32" }));
    expect(loss.item()).toBeCloseTo(1e4, 0);
    loss.backward();
    expect(x.grad!.data().every(Number.isFinite)).toBe(true);
  });
  it("saves class weights as buffers under torch's names", () => {
    const m = new BCEWithLogitsLoss({ weight: tensor([1, 2]), posWeight: tensor([3, 4]) });
    expect(Object.keys(m.stateDict())).toEqual(["weight", "pos_weight"]);
    expect(m.parameters()).toEqual([]);
    expect(Object.keys(new CrossEntropyLoss().stateDict())).toEqual([]);
  });
});
