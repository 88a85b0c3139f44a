import { readFileSync } from "node:fs";
import { manualSeed, Generator, randint, randperm } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { DataLoader, permutation, RandomSampler, randomSplit, ArrayDataset, SubsetRandomSampler } from "../src/index.js";

interface Ints { shape: number[]; dtype: "int32"; data: number[] }
interface Fixture {
  randperm: { seed: number; n: number; perm: Ints }[];
  loader: { seed: number; n: number; batchSize: number; dropLast: boolean; shuffle: boolean; length: number; epochs: Ints[][]; after: Ints }[];
  loaderDefault: { seed: number; n: number; batchSize: number; epochs: Ints[][]; after: Ints }[];
  sampler: { seed: number; n: number; replacement: boolean; numSamples: number | null; length: number; passes: Ints[] }[];
  split: { seed: number; n: number; lengths: number[]; parts: Ints[] }[];
  subsetSampler: { seed: number; indices: Ints; passes: Ints[] }[];
}

const fx = JSON.parse(readFileSync(new URL("./fixtures/data.json", import.meta.url), "utf8")) as Fixture;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("torch parity (fixtures from torch 1.13)", () => {
  it("permutation matches torch.randperm for every seed and size", () => {
    expect(fx.randperm.length).toBeGreaterThan(40);
    for (const c of fx.randperm) expect(permutation(c.n, new Generator(c.seed))).toEqual(c.perm.data);
  });

  it("DataLoader batches equal torch's for a seeded generator, across two epochs", () => {
    for (const c of fx.loader) {
      const g = new Generator(c.seed);
      const loader = new DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: c.shuffle, dropLast: c.dropLast, generator: g });
      expect(loader.length).toBe(c.length);
      for (const epoch of c.epochs) {
        const batches = [...loader].map((b) => Array.from(b.data()));
        expect(batches).toEqual(epoch.map((e) => e.data));
      }
      // The generator's stream is left exactly where torch leaves it.
      expect(Array.from(randint(0, 1000, [4], { generator: g }).data())).toEqual(c.after.data);
    }
  });

  it("DataLoader shuffle without a generator follows the default generator as torch does", () => {
    for (const c of fx.loaderDefault) {
      manualSeed(c.seed);
      const loader = new DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: true });
      for (const epoch of c.epochs) expect([...loader].map((b) => Array.from(b.data()))).toEqual(epoch.map((e) => e.data));
      expect(Array.from(randint(0, 1000, [4]).data())).toEqual(c.after.data);
    }
  });

  it("RandomSampler with and without replacement, with numSamples", () => {
    for (const c of fx.sampler) {
      const opts = c.numSamples === null ? { replacement: c.replacement, generator: new Generator(c.seed) } : { replacement: c.replacement, numSamples: c.numSamples, generator: new Generator(c.seed) };
      const s = new RandomSampler(c.n, opts);
      expect(s.length).toBe(c.length);
      for (const pass of c.passes) expect([...s]).toEqual(pass.data);
    }
  });

  it("randomSplit with lengths and fractions", () => {
    for (const c of fx.split) {
      const parts = randomSplit(new ArrayDataset(range(c.n)), c.lengths, { generator: new Generator(c.seed) });
      expect(parts.map((p) => [...p.indices])).toEqual(c.parts.map((p) => p.data));
    }
  });

  it("SubsetRandomSampler", () => {
    for (const c of fx.subsetSampler) {
      const s = new SubsetRandomSampler(c.indices.data, { generator: new Generator(c.seed) });
      for (const pass of c.passes) expect([...s]).toEqual(pass.data);
    }
  });
});

describe("@rnnkit/autograd randperm", () => {
  it("gives torch's permutation too", () => {
    for (const c of fx.randperm.filter((r) => r.n <= 100)) {
      expect(Array.from(randperm(c.n, { generator: new Generator(c.seed) }).data())).toEqual(c.perm.data);
    }
  });
});
