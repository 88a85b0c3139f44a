import { randn, tensor, zeros } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import * as F from "../src/functional/index.js";

describe("functional", () => {
  it("pad: constant padding and cropping from the last dim backwards, gradient to the kept part", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = F.pad(x, [1, 0, 0, 1], { value: 9 });
    expect(y.toArray()).toEqual([[9, 1, 2], [9, 3, 4], [9, 9, 9]]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 1], [1, 1]]);
    expect(F.pad(x, [-1, 0]).toArray()).toEqual([[2], [4]]);
    expect(() => F.pad(x, [1])).toThrow("pad: padding must be integer (left, right) pairs for at most 2 dims, got [1] for shape [2, 2]");
    expect(() => F.pad(x, [-3, 0])).toThrow(/negative size -1 for dim 1/);
  });

  it("oneHot: int32 only, classes checked", () => {
    expect(F.oneHot(tensor([1, 0], { dtype: "int32" })).toArray()).toEqual([[0, 1], [1, 0]]);
    expect(() => F.oneHot(tensor([1, 0]))).toThrow("oneHot: indices must be an int32 tensor, got float32 of shape [2]");
    expect(() => F.oneHot(tensor([3], { dtype: "int32" }), 3)).toThrow("oneHot: class value 3 is too large for numClasses 3 (indices shape [1])");
    expect(() => F.oneHot(tensor([-1], { dtype: "int32" }))).toThrow(/class values must be non-negative, got -1/);
  });

  it("linear and bilinear name the shapes in their errors", () => {
    expect(() => F.linear(zeros([2, 3]), zeros([4, 4]))).toThrow("linear: expected input with last dim 4, got shape [2, 3] (weight shape [4, 4])");
    expect(() => F.linear(zeros([2, 4]), zeros([3, 4]), zeros([4]))).toThrow("linear: bias must have shape [3], got shape [4]");
    expect(() => F.bilinear(zeros([2, 4]), zeros([3, 2]), zeros([5, 4, 2]))).toThrow(/bilinear: expected inputs of shapes \[\*, 4\] and \[\*, 2\] with equal leading dims, got \[2, 4\] and \[3, 2\]/);
  });

  it("embedding checks indices and weight", () => {
    expect(() => F.embedding(tensor([0.5]), zeros([3, 2]))).toThrow("embedding: indices must be an int32 tensor, got float32 of shape [1]");
    expect(() => F.embedding(tensor([0], { dtype: "int32" }), zeros([3]))).toThrow("embedding: weight must be 2-D (numEmbeddings, embeddingDim), got shape [3]");
  });

  it("dropout: functional training flag and p checks", () => {
    const x = randn([10]);
    expect(F.dropout(x, 0.5, { training: false })).toBe(x);
    expect(F.dropout(x, { p: 0.3, training: false })).toBe(x);
    expect(() => F.dropout(x, 2)).toThrow("dropout: dropout probability has to be between 0 and 1, but got 2");
  });

  it("activations stay finite where the unused branch would overflow", () => {
    const x = tensor([-1000, -50, 0, 50, 1000], { requiresGrad: true });
    for (const f of [F.elu, F.celu, F.selu, F.softplus, F.logsigmoid, F.mish, F.silu, F.gelu] as ((t: typeof x) => typeof x)[]) {
      x.grad = null;
      const y = f(x);
      y.sum().backward();
      expect(y.data().every(Number.isFinite), f.name).toBe(true);
      expect(x.grad!.data().every(Number.isFinite), f.name).toBe(true);
    }
    expect(F.softplus(tensor([1000])).toArray()).toEqual([1000]);
    expect(F.logsigmoid(tensor([-1000])).toArray()).toEqual([-1000]);
  });

  it("activations take torch's positional arguments or one options object", () => {
    const x = tensor([-2, -0.5, 0.5, 3]);
    expect(F.leakyRelu(x, 0.5).toArray()).toEqual(F.leakyRelu(x, { negativeSlope: 0.5 }).toArray());
    expect(F.elu(x, 2).toArray()).toEqual(F.elu(x, { alpha: 2 }).toArray());
    expect(F.celu(x, 2).toArray()).toEqual(F.celu(x, { alpha: 2 }).toArray());
    expect(F.softplus(x, 2, 1).toArray()).toEqual(F.softplus(x, { beta: 2, threshold: 1 }).toArray());
    expect(F.softplus(x, 2, 1).data()[3]).toBe(3);
    expect(F.gelu(x, "tanh").toArray()).toEqual(F.gelu(x, { approximate: "tanh" }).toArray());
    expect(F.hardtanh(x, -1, 2).toArray()).toEqual([-1, -0.5, 0.5, 2]);
    expect(F.hardtanh(x, { maxVal: 2 }).toArray()).toEqual([-1, -0.5, 0.5, 2]);
    expect(() => F.hardtanh(x, 2, 1)).toThrow("hardtanh: minVal (2) must be less than or equal to maxVal (1)");
  });

  it("softmax family and normalize reject bad dims", () => {
    expect(() => F.softmax(zeros([2, 3]), 2)).toThrow("softmax: dim 2 is out of range for a tensor of shape [2, 3]");
    expect(() => F.normalize(zeros([2, 3]), { dim: -3 })).toThrow("normalize: dim -3 is out of range for a tensor of shape [2, 3]");
    expect(F.normalize(zeros([1, 2])).toArray()).toEqual([[0, 0]]);
  });
});
