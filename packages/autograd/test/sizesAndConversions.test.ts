import { describe, expect, it } from "vitest";
import { cat, empty, Generator, manualSeed, multinomial, ones, rand, randint, randn, stack, tensor, zeros } from "../src/index.js";

describe("sizes as varargs, like torch", () => {
  it("creation functions take an array or varargs, options last", () => {
    expect(zeros(1, 128).shape).toEqual([1, 128]);
    expect(zeros([1, 128]).shape).toEqual([1, 128]);
    expect(ones(2, 3, { dtype: "int32" }).dtype).toBe("int32");
    expect(empty(4).toArray()).toEqual([0, 0, 0, 0]);
    expect(zeros().shape).toEqual([]);
    manualSeed(3);
    const a = rand(2, 3).data();
    manualSeed(3);
    expect(rand([2, 3]).data()).toEqual(a);
    expect(randn(2, 2, { generator: new Generator(1) }).data()).toEqual(randn([2, 2], { generator: new Generator(1) }).data());
  });
  it("randint(high, size) and randint(low, high, size)", () => {
    const g = new Generator(5);
    const x = randint(10, [50], { generator: g });
    expect(x.shape).toEqual([50]);
    expect(Array.from(x.data()).every((v) => v >= 0 && v < 10)).toBe(true);
    expect(Array.from(randint(5, 7, [20]).data()).every((v) => v === 5 || v === 6)).toBe(true);
    expect(() => randint(5, 5 as unknown as number[])).toThrow("randint: size must be an array, got undefined");
  });
  it("views and shape methods take varargs", () => {
    const x = zeros(2, 3, 4);
    expect(x.view(6, 4).shape).toEqual([6, 4]);
    expect(x.reshape(-1).shape).toEqual([24]);
    expect(x.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(zeros(1, 3).expand(2, 3).shape).toEqual([2, 3]);
    expect(zeros(2).repeat(2, 3).shape).toEqual([2, 6]);
  });
  it("newZeros / newOnes / newFull / newTensor keep the dtype", () => {
    const i = tensor([1, 2], { dtype: "int32" });
    expect(i.newZeros(2, 2).dtype).toBe("int32");
    expect(i.newOnes([3]).toArray()).toEqual([1, 1, 1]);
    expect(i.newFull([2], 7).toArray()).toEqual([7, 7]);
    expect(i.newTensor([4, 5]).dtype).toBe("int32");
    expect(zeros(1).newZeros(2, { dtype: "int32" }).dtype).toBe("int32");
  });
});

describe("a tensor used as a JavaScript number", () => {
  it("one-element tensors convert like torch's float(t)", () => {
    let total = 0;
    total += tensor(1.5) as unknown as number;
    total += tensor([2]) as unknown as number;
    expect(total).toBe(3.5);
    expect(+tensor([[4]])).toBe(4);
    expect(`${tensor(2)}`).toContain("tensor(");
  });
  it("other tensors throw instead of becoming NaN or a string", () => {
    expect(() => 1 + (tensor([1, 2]) as unknown as number)).toThrow("Tensor used as a JavaScript number (e.g. total += loss): only one-element tensors convert, got shape [2]");
    expect(String(tensor([1, 2]))).toContain("shape=[2]");
  });
});

describe("clear errors for ordinary JavaScript mistakes", () => {
  it("dtypes torch has and rnnkit does not", () => {
    expect(() => tensor([1], { dtype: "int64" as "int32" })).toThrow('tensor: dtype "int64" is not supported; rnnkit\'s integer dtype is int32 (class indices, token ids): pass { dtype: "int32" }');
    expect(() => tensor([1], { dtype: "long" as "int32" })).toThrow('dtype "long" is not supported');
    expect(() => zeros(2, { dtype: "double" as "float32" })).toThrow('zeros: dtype "double" is not supported; use "float64"');
    expect(() => zeros(2, { dtype: "bogus" as "float32" })).toThrow('zeros: unknown dtype string "bogus"');
  });
  it("bad sizes", () => {
    expect(() => zeros([1e10])).toThrow("zeros: shape [10000000000] has 10000000000 elements, more than a JavaScript typed array can hold");
    expect(() => zeros(2.5)).toThrow("zeros: invalid shape [2.5] (sizes must be non-negative integers): got 2.5 at dim 0");
    expect(() => zeros(-1, 2)).toThrow("got -1 at dim 0");
    expect(() => zeros(tensor([2]) as unknown as number)).toThrow("zeros: sizes must be integers, got a Tensor of shape [1]");
    expect(() => ones("3" as unknown as number)).toThrow("ones: sizes must be integers, got string");
  });
  it("cat and stack with varargs instead of a list", () => {
    const a = zeros(2);
    expect(() => cat(a as unknown as never, a as unknown as number)).toThrow("cat: expected an array of tensors, got a Tensor and another Tensor; write cat([a, b], dim) (torch.cat takes a sequence)");
    expect(() => stack([a, 3 as unknown as never])).toThrow("stack: expected a Tensor at entry 1 of the list, got number");
  });
  it("slice bounds, backward arguments", () => {
    expect(() => zeros(3).slice(0, 0, NaN)).toThrow("slice: end must be an integer (or undefined for the end), got NaN");
    const w = ones(2, { requiresGrad: true });
    expect(() => w.sum().backward("x" as unknown as never)).toThrow('backward: gradient must be a Tensor of shape [] (or omitted for a one-element tensor), got string "x"');
  });
  it("multinomial takes a generator or a replacement flag", () => {
    const p = tensor([0.2, 0.3, 0.5]);
    manualSeed(9);
    const a = multinomial(p, 6, true).data();
    expect(multinomial(p, 6, { replacement: true, generator: new Generator(9) }).data()).toEqual(a);
    expect(p.multinomial(2).shape).toEqual([2]);
  });
});
