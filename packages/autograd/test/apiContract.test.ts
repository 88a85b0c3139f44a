import { describe, expect, expectTypeOf, it } from "vitest";
import { Tensor, tensor } from "@rnnkit/autograd";

// The Tensor surface promised by the public API contract (shared API.md, "Tensor").
const METHODS = [
  "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "matmul", "sum", "mean", "max",
  "argmax", "softmax", "logSoftmax", "reshape", "view", "transpose", "permute", "squeeze", "unsqueeze", "expand",
  "contiguous", "index", "select", "indexSelect", "narrow", "gather", "clone", "detach", "backward", "toArray", "data", "item",
];

describe("Tensor API contract", () => {
  it("has every method the contract lists", () => {
    const proto = Tensor.prototype as unknown as Record<string, unknown>;
    expect(METHODS.filter((m) => typeof proto[m] !== "function")).toEqual([]);
  });

  it("builds from flat typed data and a shape, and refuses a shape of another size", () => {
    const y = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    expect(y.shape).toEqual([2, 3]);
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => tensor(new Float32Array(6), { shape: [2, 4] })).toThrow(/tensor: shape \[2, 4\] needs 8 values, got 6/);
  });

  it("data() is a contiguous row-major copy, also of a transposed view", () => {
    const x = tensor([[1, 2], [3, 4]]);
    const d = x.t().data();
    expect(Array.from(d)).toEqual([1, 3, 2, 4]);
    d[0] = 99;
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it("item() reads a 0-d or one-element tensor and names the shape otherwise", () => {
    expect(tensor(7).item()).toBe(7);
    expect(tensor([[5]]).item()).toBe(5);
    expect(() => tensor([1, 2]).item()).toThrow(/item: .*2 elements.*shape \[2\]/);
  });

  it("backward(grad) takes a gradient of the tensor's shape; a non-scalar needs one", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/backward: .*scalar.*\[2, 2\]/);
    expect(() => x.mul(2).backward(tensor([1, 1]))).toThrow(/backward: grad has shape \[2\] but the tensor has shape \[2, 2\]/);
    x.mul(2).backward(tensor([[1, 2], [3, 4]]));
    expect(x.grad?.toArray()).toEqual([[2, 4], [6, 8]]);
  });

  it("index(i) is x[i]: a number drops dim 0, an int32 tensor picks rows (negatives wrap), with gradients", () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    expect(x.index(-1).toArray()).toEqual([5, 6]);
    expect(x.index(1).toArray()).toEqual([3, 4]);
    const picked = x.index(tensor([[2, 0], [-1, -3]], { dtype: "int32" }));
    expect(picked.shape).toEqual([2, 2, 2]);
    expect(picked.toArray()).toEqual([[[5, 6], [1, 2]], [[5, 6], [1, 2]]]);
    picked.sum().backward();
    expect(x.grad?.toArray()).toEqual([[2, 2], [0, 0], [2, 2]]);
    expect(x.index(tensor(1, { dtype: "int32" })).toArray()).toEqual([3, 4]);
    expect(() => x.index(3)).toThrow(/select: index 3 is out of range .*\[3, 2\]/);
    expect(() => x.index(tensor([3], { dtype: "int32" }))).toThrow(/index 3 is out of bounds/);
    expect(() => x.index(tensor([1]))).toThrow(/index: index must be an int32 tensor, got float32/);
    expect(() => tensor(1).index(0)).toThrow(/index: cannot index a 0-d tensor/);
  });
});

describe("Tensor types a user needs no casts for", () => {
  it("chunk with a literal count and split with listed sizes destructure into tensors", () => {
    const gates = tensor([[1, 2, 3, 4, 5, 6, 7, 8]]);
    const [i, f, g, o] = gates.chunk(4, 1);
    expectTypeOf(o).toEqualTypeOf<Tensor>();
    expect([i.toArray(), f.toArray(), g.toArray(), o.toArray()]).toEqual([[[1, 2]], [[3, 4]], [[5, 6]], [[7, 8]]]);
    const n: number = 3;
    expectTypeOf(gates.chunk(n, 1)).toEqualTypeOf<Tensor[]>();
    expect(tensor([1, 2, 3, 4, 5]).chunk(4).map((t) => t.toArray())).toEqual([[1, 2], [3, 4], [5]]);
    const [a, b] = gates.split([3, 5], 1);
    expectTypeOf(b).toEqualTypeOf<Tensor>();
    expect([a.shape, b.shape]).toEqual([[1, 3], [1, 5]]);
    expectTypeOf(gates.split(2, 1)).toEqualTypeOf<Tensor[]>();
    expect(gates.split(3, 1).map((t) => t.shape[1])).toEqual([3, 3, 2]);
  });

  it("size(dim) is a number and size() the shape", () => {
    const x = tensor([[1, 2, 3]]);
    const d: number = x.size(1);
    const s: readonly number[] = x.size();
    expect([d, s, x.size(-2)]).toEqual([3, [1, 3], 1]);
    expect(() => x.size(2)).toThrow(/size: dim 2 is out of range for shape \[1, 3\]/);
  });
});
