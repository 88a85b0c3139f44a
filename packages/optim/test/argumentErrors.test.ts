import { describe, expect, it } from "vitest";
import { ones, randn, tensor, zeros } from "@rnnkit/autograd";
import { F, Linear, LSTM } from "@rnnkit/nn";
import { Adam, crossEntropy, mseLoss, SGD } from "../src/index.js";

// Ordinary JavaScript mistakes get an error that names the op, the argument, what was given
// and what to do, not an internal TypeError.

describe("clear errors for wrong argument kinds", () => {
  it("losses with a missing or non-tensor target", () => {
    const x = randn([2, 3]);
    expect(() => crossEntropy(x, null as never)).toThrow('crossEntropy: target must be a Tensor, got null; class indices go in an int32 tensor: tensor([1, 0], { dtype: "int32" })');
    expect(() => crossEntropy(x, [1, 0] as never)).toThrow("crossEntropy: target must be a Tensor, got an array");
    expect(() => mseLoss(undefined as never, x)).toThrow("mseLoss: input must be a Tensor, got undefined");
  });
  it("optimizers given a module or a tensor instead of its parameters", () => {
    const m = new Linear(2, 2);
    expect(() => new Adam(m as never)).toThrow("Adam: params must be an array of tensors or param groups, got a module (Linear); pass module.parameters()");
    expect(() => new SGD(ones([2]) as never, { lr: 0.1 })).toThrow("SGD: params must be an array of tensors, got a single Tensor; pass [tensor]");
    expect(() => new SGD(null as never, { lr: 0.1 })).toThrow("SGD: params must be an array of tensors or param groups, got null");
    expect(() => new SGD([m.weight, 3] as never, { lr: 0.1 })).toThrow("SGD: params[1] must be a Tensor or a param group { params, ... }, got number");
  });
  it("loadStateDict(null)", () => {
    expect(() => new LSTM(2, 3).loadStateDict(null as never)).toThrow("loadStateDict: expected a state dict (an object of name → Tensor");
  });
  it("softmax-like functions take dim as a number or { dim }, like the modules", () => {
    const x = randn([2, 3]);
    expect(F.logSoftmax(x, { dim: 1 }).data()).toEqual(F.logSoftmax(x, 1).data());
    expect(F.softmax(x, { dim: 0 }).data()).toEqual(x.softmax(0).data());
    expect(() => F.logSoftmax(x, undefined as never)).toThrow("logSoftmax: dim is required, as a number or { dim }, got undefined");
  });
  it("a non-tensor operand of a recorded op", () => {
    expect(() => zeros([2]).matmul([1, 2] as never)).toThrow(/^matmul: .*array/);
    expect(() => tensor([1, 2]).add(null as never)).toThrow(/add/);
  });
});
