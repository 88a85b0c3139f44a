import { ones, type Tensor, tensor, zeros } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { ELU, Flatten, GELU, Hardtanh, LeakyReLU, ReLU, Softmax, Softplus, Softshrink, Threshold } from "../src/activationModules.js";
import { Dropout } from "../src/dropout.js";
import { Embedding } from "../src/embedding.js";
import { Bilinear, Linear } from "../src/linear.js";
import { Module } from "../src/module.js";
import { Parameter } from "../src/parameter.js";
import { Sequential } from "../src/sequential.js";

class Inner extends Module {
  scale = new Parameter(ones([2]));
  fc = new Linear(3, 2);
  forward(x: Tensor): Tensor {
    return this.fc.forward(x).mul(this.scale);
  }
}

class Outer extends Module {
  alpha: Parameter;
  inner: Inner;
  missing: Parameter | null = null;
  head: Linear;
  constructor() {
    super();
    this.alpha = new Parameter(zeros([1]));
    this.inner = new Inner();
    this.head = new Linear(2, 1, { bias: false });
    this.registerBuffer("steps", tensor([0], { dtype: "int32" }));
    this.registerBuffer("cache", zeros([2]), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.inner.forward(x)).add(this.alpha);
  }
}

describe("Module", () => {
  it("registers parameters and submodules in assignment order with torch's dotted names", () => {
    const m = new Outer();
    expect(m.namedParameters().map(([k, p]) => [k, [...p.shape]])).toEqual([
      ["alpha", [1]], ["inner.scale", [2]], ["inner.fc.weight", [2, 3]], ["inner.fc.bias", [2]], ["head.weight", [1, 2]],
    ]);
    expect(m.parameters().length).toBe(5);
    expect(m.parameters(false)).toEqual([m.alpha]);
    expect(m.children()).toEqual([m.inner, m.head]);
    expect(m.namedModules().map(([k]) => k)).toEqual(["", "inner", "inner.fc", "head"]);
    expect(m.numParameters()).toBe(1 + 2 + 6 + 2 + 2);
  });

  it("lists a shared parameter once, under its first name", () => {
    const a = new Linear(2, 2);
    const seq = new Sequential(a, a);
    expect(seq.namedParameters().map(([k]) => k)).toEqual(["0.weight", "0.bias"]);
  });

  it("train() and eval() reach every descendant", () => {
    const m = new Outer();
    expect(m.modules().every((x) => x.training)).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.modules().map((x) => x.training)).toEqual([false, false, false, false]);
    m.train();
    expect(m.inner.fc.training).toBe(true);
    m.inner.train(false);
    expect([m.training, m.inner.training, m.inner.fc.training, m.head.training]).toEqual([true, false, false, true]);
  });

  it("zeroGrad clears every gradient (to null, or to zeros with setToNone false)", () => {
    const m = new Outer();
    m.forward(ones([4, 3])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad(false);
    expect(m.parameters().every((p) => p.grad !== null && p.grad.data().every((v) => v === 0))).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("stateDict holds parameters and persistent buffers by name, detached and sharing values", () => {
    const m = new Outer();
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(["alpha", "steps", "inner.scale", "inner.fc.weight", "inner.fc.bias", "head.weight"]);
    expect(sd["alpha"]!.requiresGrad).toBe(false);
    expect(sd["inner.fc.weight"]!.data()).toEqual(m.inner.fc.weight.data());
    expect(m.namedBuffers().map(([k]) => k)).toEqual(["steps", "cache"]);
  });

  it("a reassigned buffer property replaces the buffer", () => {
    const m = new Outer();
    (m as unknown as { steps: Tensor }).steps = tensor([5], { dtype: "int32" });
    expect(m.stateDict()["steps"]!.toArray()).toEqual([5]);
  });

  it("loadStateDict copies values in place and round-trips", () => {
    const a = new Outer();
    const b = new Outer();
    const weightBefore = b.inner.fc.weight;
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.inner.fc.weight).toBe(weightBefore);
    for (const [k, v] of Object.entries(a.stateDict())) expect(b.stateDict()[k]!.data()).toEqual(v.data());
    expect(b.inner.fc.weight.requiresGrad).toBe(true);
  });

  it("strict loading names missing and unexpected keys; non-strict reports them", () => {
    const m = new Outer();
    const sd = m.stateDict();
    delete sd["head.weight"];
    sd["extra.bias"] = zeros([1]);
    expect(() => m.loadStateDict(sd)).toThrow(/Missing key\(s\) in state_dict: "head.weight"[\s\S]*Unexpected key\(s\) in state_dict: "extra.bias"/);
    expect(m.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ["head.weight"], unexpectedKeys: ["extra.bias"] });
  });

  it("a shape mismatch is an error naming the key and both shapes, even when not strict", () => {
    const m = new Outer();
    const sd = m.stateDict();
    sd["inner.fc.weight"] = zeros([3, 2]);
    const msg = /size mismatch for inner\.fc\.weight: copying a param with shape \[3, 2\] from checkpoint, the shape in current model is \[2, 3\]/;
    expect(() => m.loadStateDict(sd)).toThrow(msg);
    expect(() => m.loadStateDict(sd, { strict: false })).toThrow(msg);
    expect(m.inner.fc.weight.data().some((v) => v !== 0)).toBe(true);
  });

  it("apply visits children before the module itself", () => {
    const m = new Outer();
    const seen: string[] = [];
    expect(m.apply((x) => seen.push(x.constructor.name))).toBe(m);
    expect(seen).toEqual(["Linear", "Inner", "Linear", "Outer"]);
  });

  it("registerBuffer, registerParameter and addModule check names", () => {
    const m = new Outer();
    expect(() => m.registerBuffer("a.b", zeros([1]))).toThrow(/registerBuffer: name must be a non-empty string without "\."/);
    expect(() => m.registerBuffer("alpha", zeros([1]))).toThrow(/registerBuffer: attribute "alpha" already exists/);
    m.registerParameter("gamma", new Parameter(ones([3])));
    expect(m.namedParameters().map(([k]) => k)).toContain("gamma");
    m.registerParameter("gamma", null);
    expect(m.namedParameters().map(([k]) => k)).not.toContain("gamma");
    m.addModule("tail", new Linear(1, 1));
    expect(m.namedChildren().map(([k]) => k)).toEqual(["inner", "head", "tail"]);
    expect(() => m.addModule("forward", new Linear(1, 1))).toThrow(/attribute "forward" already exists/);
  });

  it("prints like torch's repr", () => {
    const net = new Sequential(
      new Linear(4, 8), new ReLU(), new Dropout(0.25),
      new Sequential(new Embedding(10, 3, { paddingIdx: 0, maxNorm: 1 }), new LeakyReLU()), new Softmax(-1),
    );
    expect(String(net)).toBe([
      "Sequential(",
      "  (0): Linear(in_features=4, out_features=8, bias=True)",
      "  (1): ReLU()",
      "  (2): Dropout(p=0.25, inplace=False)",
      "  (3): Sequential(",
      "    (0): Embedding(10, 3, padding_idx=0, max_norm=1)",
      "    (1): LeakyReLU(negative_slope=0.01)",
      "  )",
      "  (4): Softmax(dim=-1)",
      ")",
    ].join("\n"));
    expect(String(new Embedding(5, 2, { normType: 1, maxNorm: 2.5, scaleGradByFreq: true }))).toBe("Embedding(5, 2, max_norm=2.5, norm_type=1.0, scale_grad_by_freq=True)");
    expect([new GELU({ approximate: "tanh" }), new Hardtanh(), new Softshrink(), new Flatten(), new Softplus(), new Threshold(0.1, 20), new Bilinear(2, 3, 4), new ELU()].map(String).join(" "))
      .toBe("GELU(approximate='tanh') Hardtanh(min_val=-1.0, max_val=1.0) Softshrink(0.5) Flatten(start_dim=1, end_dim=-1) Softplus(beta=1, threshold=20) Threshold(threshold=0.1, value=20) Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True) ELU(alpha=1.0)");
  });

  it("requiresGrad_(false) freezes every parameter", () => {
    const m = new Outer().requiresGrad_(false);
    expect(m.parameters().every((p) => !p.requiresGrad)).toBe(true);
  });
});
