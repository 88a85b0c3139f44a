import { Generator } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { BatchSampler, RandomSampler, SequentialSampler } from "../src/index.js";

describe("samplers", () => {
  it("SequentialSampler yields 0..n-1", () => {
    expect([...new SequentialSampler(4)]).toEqual([0, 1, 2, 3]);
    expect(new SequentialSampler([7, 8]).length).toBe(2);
  });

  it("RandomSampler without replacement is a permutation per n samples", () => {
    const s = new RandomSampler(6, { numSamples: 14, generator: new Generator(3) });
    const out = [...s];
    expect(out.length).toBe(14);
    expect([...out.slice(0, 6)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...out.slice(6, 12)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(out.slice(12)).size).toBe(2);
  });

  it("RandomSampler with replacement stays in range, seeded", () => {
    const a = [...new RandomSampler(4, { replacement: true, numSamples: 100, generator: new Generator(9) })];
    const b = [...new RandomSampler(4, { replacement: true, numSamples: 100, generator: new Generator(9) })];
    expect(a).toEqual(b);
    expect(a.every((i) => i >= 0 && i < 4)).toBe(true);
    expect(new Set(a).size).toBe(4);
  });

  it("RandomSampler rejects bad numSamples", () => {
    expect(() => new RandomSampler(3, { numSamples: 0 })).toThrow("RandomSampler: numSamples should be a positive integer value, but got numSamples=0");
  });

  it("BatchSampler groups, with and without dropLast", () => {
    expect([...new BatchSampler(new SequentialSampler(7), 3)]).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect([...new BatchSampler(new SequentialSampler(7), 3, true)]).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(new BatchSampler(new SequentialSampler(7), 3).length).toBe(3);
    expect(new BatchSampler(new SequentialSampler(7), 3, true).length).toBe(2);
    expect(new BatchSampler(new SequentialSampler(6), 3, true).length).toBe(2);
    expect(() => new BatchSampler(new SequentialSampler(7), 0)).toThrow(/batchSize should be a positive integer value, but got batchSize=0/);
  });
});
