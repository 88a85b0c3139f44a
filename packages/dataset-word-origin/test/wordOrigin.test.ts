import { describe, expect, it } from "vitest";
import { DataLoader, padCollate } from "@rnnkit/data";
import { wordOrigin } from "../src/index.js";

describe("wordOrigin", () => {
  const all = wordOrigin();
  it("has 8 languages × 2000 unique lowercase words", () => {
    expect(all.labelNames).toEqual(["dutch", "english", "french", "german", "italian", "polish", "portuguese", "spanish"]);
    expect(all.length).toBe(16000);
    expect(new Set(all.words).size).toBe(16000);
    for (let c = 0; c < 8; c++) expect(all.labels.filter((l) => l === c).length).toBe(2000);
    expect(all.words.every((w) => /^\p{Ll}{3,12}$/u.test(w))).toBe(true);
    expect(all.words).toContain("abashed");
    expect(all.labels[all.words.indexOf("abashed")]).toBe(1);
    expect(all.labels[all.words.indexOf("régénérâmes")]).toBe(2);
  });

  it("splits train/test disjointly, stratified and seeded", () => {
    // Fixed across Node and browsers: the split permutes with the torch-exact generator.
    expect(wordOrigin({ split: "test" }).words.slice(0, 5)).toEqual(["afrokapsels", "aandrift", "uitwoeden", "mmccxxxii", "meerven"]);
    const train = wordOrigin({ split: "train" });
    const test = wordOrigin({ split: "test" });
    expect(train.length).toBe(12800);
    expect(test.length).toBe(3200);
    const trainSet = new Set(train.words);
    expect(test.words.some((w) => trainSet.has(w))).toBe(false);
    for (let c = 0; c < 8; c++) expect(test.labels.filter((l) => l === c).length).toBe(400);
    expect(wordOrigin({ split: "test" }).words).toEqual(test.words);
    expect(wordOrigin({ split: "test", seed: 1 }).words).not.toEqual(test.words);
    expect(wordOrigin({ split: "test", testFraction: 0.1 }).length).toBe(1600);
    expect(() => wordOrigin({ testFraction: 2 })).toThrow("wordOrigin: testFraction must be in [0, 1], got 2");
  });

  it("items are int32 ids with a label, and pad into batches", () => {
    const [ids, label] = all.get(0);
    expect(ids.dtype).toBe("int32");
    expect(all.vocab.decode(ids)).toBe(all.words[0]);
    expect(label).toBe(all.labels[0]);
    expect(all.vocab.size).toBeGreaterThan(26);
    const loader = new DataLoader(all, { batchSize: 5, collate: padCollate({ batchFirst: true, sort: true }) });
    const [b] = loader;
    expect(b!.padded.shape[0]).toBe(5);
    expect(() => all.get(16000)).toThrow("WordOriginDataset.get: index 16000 out of range for dataset of length 16000");
    expect(b!.lengths.toArray()).toEqual([...b!.lengths.toArray() as number[]].sort((p, q) => q - p));
  });
});
