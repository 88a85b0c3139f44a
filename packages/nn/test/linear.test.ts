import { manualSeed, randn, tensor, zeros } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { Bilinear, Identity, Linear } from "../src/linear.js";

describe("Linear", () => {
  it("has torch's parameter names and shapes; bias: false leaves bias null", () => {
    const fc = new Linear(4, 3);
    expect(fc.namedParameters().map(([k, p]) => [k, [...p.shape]])).toEqual([["weight", [3, 4]], ["bias", [3]]]);
    const nb = new Linear(4, 3, { bias: false });
    expect(nb.bias).toBeNull();
    expect(Object.keys(nb.stateDict())).toEqual(["weight"]);
  });

  it("initializes within torch's bounds: |w| ≤ 1/√in, |b| ≤ 1/√in", () => {
    manualSeed(0);
    const fc = new Linear(25, 40);
    expect(fc.weight.data().every((v) => Math.abs(v) <= 0.2)).toBe(true);
    expect(fc.bias!.data().every((v) => Math.abs(v) <= 0.2)).toBe(true);
    expect(Math.max(...fc.weight.data().map(Math.abs))).toBeGreaterThan(0.18);
  });

  it("computes x·Wᵀ + b for 1-D and batched inputs", () => {
    const fc = new Linear(2, 2);
    fc.loadStateDict({ weight: tensor([[1, 2], [3, 4]]), bias: tensor([10, 20]) });
    expect(fc.forward(tensor([1, 1])).toArray()).toEqual([13, 27]);
    expect(fc.forward(tensor([[[1, 0]], [[0, 1]]])).toArray()).toEqual([[[11, 23]], [[12, 24]]]);
  });

  it("rejects a wrong last dim, a 0-d input and int32 input with the shapes", () => {
    const fc = new Linear(4, 2);
    expect(() => fc.forward(zeros([2, 3]))).toThrow("Linear.forward: expected input with last dim 4, got shape [2, 3]");
    expect(() => fc.forward(zeros([]))).toThrow("Linear.forward: expected input with last dim 4, got shape []");
    expect(() => fc.forward(zeros([2, 4], { dtype: "int32" }))).toThrow(/Linear.forward: input must be float32, got int32 of shape \[2, 4\]/);
    expect(() => new Linear(-1, 2)).toThrow("Linear: inFeatures must be a non-negative integer, got -1");
  });

  it("allows zero input features (weight left empty, bias zero)", () => {
    const fc = new Linear(0, 3);
    expect(fc.bias!.data()).toEqual(new Float32Array(3));
    expect(fc.forward(zeros([2, 0])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });
});

describe("Bilinear and Identity", () => {
  it("Bilinear has weight (out, in1, in2) and bias (out) within 1/√in1", () => {
    manualSeed(1);
    const b = new Bilinear(4, 3, 5);
    expect(b.namedParameters().map(([k, p]) => [k, [...p.shape]])).toEqual([["weight", [5, 4, 3]], ["bias", [5]]]);
    expect(b.weight.data().every((v) => Math.abs(v) <= 0.5)).toBe(true);
    expect(b.forward(randn([2, 4]), randn([2, 3])).shape).toEqual([2, 5]);
    expect(() => b.forward(randn([2, 3]), randn([2, 3]))).toThrow(/Bilinear.forward: expected inputs with last dims 4 and 3, got shapes \[2, 3\] and \[2, 3\]/);
  });
  it("Identity returns its input", () => {
    const x = randn([2]);
    expect(new Identity().forward(x)).toBe(x);
  });
});
