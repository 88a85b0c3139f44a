import { describe, expect, it } from "vitest";
import { cat, eye, linspace, noGrad, ones, randn, stack, tensor, zeros } from "../src/index.js";

const x23 = () => tensor([[1, 2, 3], [4, 5, 6]]);
const idx = (d: number[]) => tensor(d, { dtype: "int32" });

describe("errors name the op, the argument and the shapes", () => {
  it.each([
    ["add", () => x23().add(tensor([1, 2])), "add: shapes [2, 3] and [2] cannot be broadcast (size 3 vs 2 at dim -1)"],
    ["mul", () => x23().mul(zeros([3, 3])), "mul: shapes [2, 3] and [3, 3] cannot be broadcast (size 2 vs 3 at dim -2)"],
    ["matmul", () => x23().matmul(x23()), "matmul: shapes [2, 3] and [2, 3] cannot be multiplied (3 vs 2 in the contracted dim)"],
    ["matmul 0-d", () => tensor(1).matmul(x23()), "matmul: both arguments need at least 1 dim, got shapes [] and [2, 3]"],
    ["mm", () => tensor([1, 2]).mm(x23()), "mm: expects 2-D tensors, got shapes [2] and [2, 3]"],
    ["bmm", () => zeros([2, 2, 3]).bmm(zeros([3, 3, 2])), "bmm: expects 3-D tensors with the same batch size, got shapes [2, 2, 3] and [3, 3, 2]"],
    ["cat", () => cat([x23(), zeros([2, 2])], 0), "cat: tensor 1 has shape [2, 2], which does not match [2, 3] outside dim 0"],
    ["stack", () => stack([x23(), zeros([3, 2])]), "stack: expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1"],
    ["reshape", () => x23().reshape(4, 2), "reshape: shape [4, 2] is invalid for input of size 6 (shape [2, 3])"],
    ["expand", () => x23().expand(3, 3), "expand: the expanded size 3 must match the existing size 2 at dim 0 (input [2, 3], target [3, 3])"],
    ["maskedFill", () => x23().maskedFill(idx([1, 0]), 0), "maskedFill: shapes [2, 3] and [2] cannot be broadcast (size 3 vs 2 at dim -1)"],
    ["gather dims", () => x23().gather(1, idx([0, 1])), "gather: index [2] must have as many dims as input [2, 3]"],
    ["indexAdd source", () => x23().indexAdd(0, idx([0]), zeros([1, 2])), "indexAdd: source shape [1, 2] does not match [1, 3] (self [2, 3], 1 indices on dim 0)"],
    ["backward grad shape", () => x23().requiresGrad_().mul(2).backward(zeros([3, 2])), "backward: grad has shape [3, 2] but the tensor has shape [2, 3]"],
  ])("shape mismatch: %s", (_n, fn, msg) => {
    expect(fn).toThrow(msg);
  });

  it.each([
    ["sum", () => x23().sum(2), "sum: dim 2 is out of range for a 2-D tensor (expected in [-2, 1])"],
    ["mean", () => x23().mean(-3), "mean: dim -3 is out of range for a 2-D tensor (expected in [-2, 1])"],
    ["softmax", () => x23().softmax(2), "softmax: dim 2 is out of range for a 2-D tensor (expected in [-2, 1])"],
    ["logSoftmax", () => x23().logSoftmax(-3), "logSoftmax: dim -3 is out of range for a 2-D tensor (expected in [-2, 1])"],
    ["transpose", () => x23().transpose(0, 5), "transpose: dim 5 is out of range for a 2-D tensor (expected in [-2, 1])"],
    ["max", () => x23().max(3), "max: dim 3 is out of range for a 2-D tensor (expected in [-2, 1])"],
    ["argmax", () => x23().argmax(2), "argmax: dim 2 is out of range for a 2-D tensor (expected in [-2, 1])"],
    ["repeated dim", () => x23().sum([1, -1]), "sum: dim [1, -1] has a repeated dim"],
    ["narrow", () => x23().narrow(1, 2, 3), "narrow: start 2 and length 3 exceed dim 1 of size 3 (shape [2, 3])"],
    ["select", () => x23().select(0, 5), "select: index 5 is out of range for dim 0 of size 2 (shape [2, 3])"],
    ["unsqueeze", () => x23().unsqueeze(3), "unsqueeze: dim 3 is out of range for a 3-D tensor (expected in [-3, 2])"],
    ["permute", () => x23().permute(0), "permute: number of dims 1 does not match the input's 2 (shape [2, 3])"],
    ["size", () => x23().size(2), "size: dim 2 is out of range for shape [2, 3]"],
  ])("bad dim: %s", (_n, fn, msg) => {
    expect(fn).toThrow(msg);
  });

  it.each([
    ["gather float index", () => x23().gather(1, tensor([[0, 1]])), "gather: index must be an int32 tensor, got float32 (shape [1, 2])"],
    ["indexSelect float index", () => x23().indexSelect(0, tensor([0])), "indexSelect: index must be an int32 tensor, got float32 (shape [1])"],
    ["scatterAdd float index", () => x23().scatterAdd(1, tensor([[0]]), tensor([[1]])), "scatterAdd: index must be an int32 tensor, got float32 (shape [1, 1])"],
    ["indexAdd float index", () => x23().indexAdd(0, tensor([0]), tensor([[1, 2, 3]])), "indexAdd: index must be an int32 tensor, got float32 (shape [1])"],
    ["gather out of range", () => x23().gather(1, idx([0, 5]).reshape(1, 2)), "gather: index 5 is out of bounds for dim 1 with size 3"],
    ["indexSelect out of range", () => x23().indexSelect(0, idx([2])), "indexSelect: index 2 is out of bounds for dim 0 with size 2"],
    ["int32 requiresGrad", () => tensor([1, 2], { dtype: "int32", requiresGrad: true }), "requiresGrad: only floating point tensors can require gradients (got int32)"],
    ["mean of int32", () => idx([1, 2]).mean(), "mean: could not infer output dtype; input dtype must be floating point, got int32"],
    ["maskedFill float mask", () => x23().maskedFill(tensor([1, 0, 1]), 0), "maskedFill: mask must be an int32 (0/1) tensor, got float32"],
    ["matmul int/float", () => idx([1, 2]).matmul(tensor([1, 2])), "matmul: expected both operands to have the same dtype, got int32 and float32"],
  ])("wrong dtype or index: %s", (_n, fn, msg) => {
    expect(fn).toThrow(msg);
  });

  it("creation and norm errors name their own op", () => {
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow("tensor: shape [2, 2] needs 4 values, got 3");
    expect(tensor([1, 2, 3, 4], { shape: [-1, 2] }).shape).toEqual([2, 2]);
    expect(() => eye(-1)).toThrow("eye: invalid shape [-1, -1] (sizes must be non-negative integers)");
    expect(() => linspace(0, 1, -2)).toThrow("linspace: invalid shape [-2] (sizes must be non-negative integers)");
    expect(() => x23().norm(2, 5)).toThrow("norm: dim 5 is out of range for a 2-D tensor (expected in [-2, 1])");
  });

  it("view on a non-contiguous input says why and what to use", () => {
    expect(() => x23().t().view(6)).toThrow("view: size [6] is not compatible with input of shape [3, 2] and strides [1, 3]; use reshape");
    expect(x23().t().reshape(6).toArray()).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it("item on many elements names the count and shape", () => {
    expect(() => x23().item()).toThrow("item: a Tensor with 6 elements cannot be converted to a number (shape [2, 3])");
  });
});

describe("backward errors", () => {
  it("a non-scalar output needs an explicit gradient", () => {
    const x = randn([2, 3], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow("backward: grad can be implicitly created only for scalar outputs, got shape [2, 3]");
    x.mul(2).backward(ones([2, 3]));
    expect(x.grad!.toArray()).toEqual([[2, 2, 2], [2, 2, 2]]);
  });

  it("backward on a tensor that does not require grad", () => {
    expect(() => x23().sum().backward()).toThrow("backward: element 0 of tensors does not require grad and does not have a gradFn");
    const x = randn([2], { requiresGrad: true });
    expect(() => noGrad(() => x.mul(2)).sum().backward()).toThrow(/does not require grad/);
  });

  it("a second backward through freed state fails clearly; retainGraph keeps it and grads accumulate", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.exp().mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward: trying to backward through the graph a second time \(op \w+\); its saved values were freed\. Pass \{ retainGraph: true \} to the first backward\./);

    const z = tensor([1, 2, 3], { requiresGrad: true });
    const w = z.square().sum();
    w.backward(undefined, { retainGraph: true });
    expect(z.grad!.toArray()).toEqual([2, 4, 6]);
    w.backward();
    expect(z.grad!.toArray()).toEqual([4, 8, 12]);
    expect(() => w.backward()).toThrow(/second time/);
  });

  it("in-place ops on a leaf that requires grad are refused outside noGrad", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    expect(() => p.add_(1)).toThrow("add_: a leaf Variable that requires grad is being used in an in-place operation; wrap it in noGrad()");
    noGrad(() => p.add_(1));
    expect(p.toArray()).toEqual([2, 3]);
  });
});
