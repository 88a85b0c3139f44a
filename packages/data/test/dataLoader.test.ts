import { arange, Generator, tensor, type Tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { BatchSampler, DataLoader, SequentialSampler, TensorDataset } from "../src/index.js";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("DataLoader", () => {
  it("batches a TensorDataset in order, with a short last batch", () => {
    const x = arange(20).reshape(10, 2).float();
    const y = arange(10);
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([xb]) => xb!.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches[2]![0]!.toArray()).toEqual([[16, 17], [18, 19]]);
    expect(batches[1]![1]!.toArray()).toEqual([4, 5, 6, 7]);
    expect(batches[1]![1]!.dtype).toBe("int32");
  });

  it("dropLast drops the incomplete batch and length follows", () => {
    const loader = new DataLoader(range(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].map((b) => b.toArray())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new DataLoader(range(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(range(3), { batchSize: 4, dropLast: true }).length).toBe(0);
    expect([...new DataLoader(range(3), { batchSize: 4, dropLast: true })]).toEqual([]);
  });

  it("default batchSize is 1", () => {
    const loader = new DataLoader([5, 6]);
    expect(loader.length).toBe(2);
    expect([...loader].map((b) => b.toArray())).toEqual([[5], [6]]);
  });

  it("shuffle is deterministic for a seed, differs between epochs and covers every index", () => {
    const a = new DataLoader(range(50), { batchSize: 8, shuffle: true, generator: new Generator(123) });
    const b = new DataLoader(range(50), { batchSize: 8, shuffle: true, generator: new Generator(123) });
    const ea1 = [...a].map((t) => Array.from(t.data()));
    const ea2 = [...a].map((t) => Array.from(t.data()));
    expect([...b].map((t) => Array.from(t.data()))).toEqual(ea1);
    expect(ea2).not.toEqual(ea1);
    expect(ea1.flat().sort((p, q) => p - q)).toEqual(range(50));
    expect(ea1.flat()).not.toEqual(range(50));
  });

  it("custom collate, sampler and batchSampler", () => {
    const loader = new DataLoader(["a", "b", "c"], { batchSize: 2, collate: (s: string[]) => s.join("") });
    expect([...loader]).toEqual(["ab", "c"]);
    const reversed = { length: 3, *[Symbol.iterator]() { yield 2; yield 1; yield 0; } };
    expect([...new DataLoader(["a", "b", "c"], { batchSize: 2, sampler: reversed })]).toEqual([["c", "b"], ["a"]]);
    const bs = new BatchSampler(new SequentialSampler(5), 2, true);
    const l2 = new DataLoader(range(5), { batchSampler: bs });
    expect(l2.length).toBe(2);
    expect([...l2].map((t) => t.toArray())).toEqual([[0, 1], [2, 3]]);
  });

  it("batchSize null yields samples one by one, uncollated", () => {
    const loader = new DataLoader([[1, 2], [3, 4]], { batchSize: null });
    expect(loader.length).toBe(2);
    expect([...loader]).toEqual([[1, 2], [3, 4]]);
  });

  it("rejects conflicting or bad options", () => {
    expect(() => new DataLoader(range(3), { shuffle: true, sampler: new SequentialSampler(3) })).toThrow("DataLoader: sampler option is mutually exclusive with shuffle");
    expect(() => new DataLoader(range(3), { batchSampler: new BatchSampler(new SequentialSampler(3), 2), batchSize: 2 })).toThrow(/batchSampler option is mutually exclusive/);
    expect(() => new DataLoader(range(3), { batchSize: 0 })).toThrow("DataLoader: batchSize should be a positive integer value, but got batchSize=0");
    expect(() => new DataLoader(range(3), { batchSize: null, dropLast: true })).toThrow(/mutually exclusive with dropLast/);
  });

  it("collates objects of tensors", () => {
    const samples = range(3).map((i) => ({ x: tensor([i, i + 0.5]), label: i % 2, name: `s${i}` }));
    const [batch] = [...new DataLoader(samples, { batchSize: 3 })];
    const b = batch!;
    const x: Tensor = b.x;
    expect(x.toArray()).toEqual([[0, 0.5], [1, 1.5], [2, 2.5]]);
    expect(b.label.toArray()).toEqual([0, 1, 0]);
    expect(b.name).toEqual(["s0", "s1", "s2"]);
  });
});
