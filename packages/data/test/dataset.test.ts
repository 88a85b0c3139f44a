import { arange, Generator, tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { ArrayDataset, ConcatDataset, Dataset, randomSplit, Subset, TensorDataset } from "../src/index.js";

class Squares extends Dataset<number> {
  get length(): number { return 5; }
  get(i: number): number { return i * i; }
}

describe("datasets", () => {
  it("a Dataset subclass is iterable", () => {
    expect([...new Squares()]).toEqual([0, 1, 4, 9, 16]);
  });

  it("TensorDataset returns the i-th row of every tensor", () => {
    const x = arange(12).reshape(4, 3);
    const y = tensor([10, 11, 12, 13], { dtype: "int32" });
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(4);
    const [xi, yi] = ds.get(2);
    expect(xi!.toArray()).toEqual([6, 7, 8]);
    expect(yi!.shape).toEqual([]);
    expect(yi!.item()).toBe(12);
    expect(yi!.dtype).toBe("int32");
  });

  it("TensorDataset rejects size mismatches, naming the sizes", () => {
    expect(() => new TensorDataset(arange(6).reshape(3, 2), arange(4))).toThrow(/size mismatch.*3, 4/);
    expect(() => new TensorDataset(tensor(3))).toThrow(/at least 1 dimension/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
  });

  it("index errors name the index and length", () => {
    const ds = new TensorDataset(arange(3));
    expect(() => ds.get(3)).toThrow("TensorDataset.get: index 3 out of range for dataset of length 3");
    expect(() => ds.get(-1)).toThrow(/index -1 out of range/);
    expect(() => new ArrayDataset([1]).get(1.5)).toThrow(/index 1.5/);
  });

  it("Subset and ConcatDataset map indices", () => {
    const base = new ArrayDataset(["a", "b", "c", "d"]);
    const sub = new Subset(base, [3, 1]);
    expect([...sub]).toEqual(["d", "b"]);
    expect(() => new Subset(base, [4])).toThrow(/index 4 out of range/);
    const cat = new ConcatDataset([base, sub, new ArrayDataset<string>([]), new ArrayDataset(["z"])]);
    expect(cat.length).toBe(7);
    expect([...cat]).toEqual(["a", "b", "c", "d", "d", "b", "z"]);
    expect(() => cat.get(7)).toThrow(/index 7 out of range for dataset of length 7/);
  });

  it("randomSplit partitions every index once and is seeded", () => {
    const ds = new ArrayDataset(Array.from({ length: 50 }, (_, i) => i));
    const [a, b, c] = randomSplit(ds, [0.5, 0.3, 0.2], { generator: new Generator(1) });
    expect([a!.length, b!.length, c!.length]).toEqual([25, 15, 10]);
    const all = [...a!, ...b!, ...c!].sort((p, q) => p - q);
    expect(all).toEqual([...ds]);
    const again = randomSplit(ds, [25, 15, 10], { generator: new Generator(1) });
    expect(again.map((s) => s.indices)).toEqual([a!.indices, b!.indices, c!.indices]);
  });

  it("randomSplit errors", () => {
    const ds = new ArrayDataset([1, 2, 3]);
    expect(() => randomSplit(ds, [1, 1])).toThrow("randomSplit: sum of input lengths (2) does not equal the length of the input dataset (3)");
    expect(() => randomSplit(ds, [1.5, -0.5])).toThrow(/fraction at index 0 is not between 0 and 1, got 1.5/);
  });
});
