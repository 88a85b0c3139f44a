import { describe, expect, it } from "vitest";
import { addingProblem, copyTask, helloOhlol, sineWave, textCorpus } from "../src/index.js";

describe("helloOhlol", () => {
  it("has the exercise's ids, one-hot inputs and labels", () => {
    const h = helloOhlol();
    expect(h.idx2char).toEqual(["e", "l", "h", "o"]);
    expect(h.xData.map((i) => h.idx2char[i]).join("")).toBe("hello");
    expect(h.yData.map((i) => h.idx2char[i]).join("")).toBe("ohlol");
    expect(h.inputs.shape).toEqual([5, 1, 4]);
    expect(h.inputs.toArray()).toEqual([[[0, 0, 1, 0]], [[1, 0, 0, 0]], [[0, 1, 0, 0]], [[0, 1, 0, 0]], [[0, 0, 0, 1]]]);
    expect(h.labels.shape).toEqual([5, 1]);
    expect(h.labels.dtype).toBe("int32");
    expect(h.labelsFlat.toArray()).toEqual([3, 2, 1, 3, 1]);
    expect(h.xIndices.shape).toEqual([1, 5]);
    expect(h.xIndices.toArray()).toEqual([[2, 0, 1, 1, 3]]);
    expect(h.oneHotLookup.shape).toEqual([4, 4]);
  });
});

describe("synthetic tasks", () => {
  it("adding problem: two markers, one per half, target their sum", () => {
    const { inputs, targets, dataset } = addingProblem({ count: 64, length: 50, seed: 3 });
    expect(inputs.shape).toEqual([64, 50, 2]);
    expect(targets.shape).toEqual([64, 1]);
    expect(dataset.length).toBe(64);
    const x = inputs.toArray() as number[][][];
    const y = targets.toArray() as number[][];
    x.forEach((seq, n) => {
      const marks = seq.map((s, t) => (s[1] === 1 ? t : -1)).filter((t) => t >= 0);
      expect(marks.length).toBe(2);
      expect(marks[0]!).toBeLessThan(25);
      expect(marks[1]!).toBeGreaterThanOrEqual(25);
      expect(seq.every((s) => s[0]! >= 0 && s[0]! < 1 && (s[1] === 0 || s[1] === 1))).toBe(true);
      expect(y[n]![0]).toBeCloseTo(seq[marks[0]!]![0]! + seq[marks[1]!]![0]!, 6);
    });
    expect(addingProblem({ count: 4, seed: 3 }).inputs.toArray()).toEqual(addingProblem({ count: 4, seed: 3 }).inputs.toArray());
    expect(() => addingProblem({ length: 1 })).toThrow("addingProblem: length must be an integer >= 2, got 1");
  });

  it("seeded streams are fixed: the same numbers in Node and every browser", () => {
    // The values channel is torch.rand(6) for torch.Generator().manual_seed(0).
    const a = addingProblem({ count: 1, length: 6, seed: 0 });
    expect(Array.from(a.inputs.data())).toEqual([
      0.49625658988952637, 0, 0.7682217955589294, 1, 0.08847743272781372, 0,
      0.13203048706054688, 0, 0.30742281675338745, 1, 0.6340786814689636, 0,
    ]);
    expect(a.targets.item()).toBeCloseTo(0.7682217955589294 + 0.30742281675338745, 6);
    expect(Array.from(copyTask({ count: 1, length: 3, sequenceLength: 4, seed: 0 }).inputs.data())).toEqual([5, 8, 6, 1, 0, 0, 9, 0, 0, 0, 0]);
  });

  it("copy task: symbols, blanks, delimiter; target repeats the symbols at the end", () => {
    const { inputs, targets } = copyTask({ count: 16, length: 20, sequenceLength: 10, numSymbols: 8, seed: 1 });
    expect(inputs.shape).toEqual([16, 40]);
    expect(inputs.dtype).toBe("int32");
    const x = inputs.toArray() as number[][];
    const y = targets.toArray() as number[][];
    for (let n = 0; n < 16; n++) {
      const symbols = x[n]!.slice(0, 10);
      expect(symbols.every((s) => s >= 1 && s <= 8)).toBe(true);
      expect(x[n]!.slice(10, 29).every((s) => s === 0)).toBe(true);
      expect(x[n]![29]).toBe(9);
      expect(x[n]!.slice(30).every((s) => s === 0)).toBe(true);
      expect(y[n]!.slice(0, 30).every((s) => s === 0)).toBe(true);
      expect(y[n]!.slice(30)).toEqual(symbols);
    }
    expect(() => copyTask({ numSymbols: 0 })).toThrow("copyTask: numSymbols must be a positive integer, got 0");
  });

  it("sine waves: targets are the inputs shifted by one step", () => {
    const { inputs, targets } = sineWave({ count: 5, length: 30, seed: 2 });
    expect(inputs.shape).toEqual([5, 30, 1]);
    const x = inputs.toArray() as number[][][];
    const y = targets.toArray() as number[][][];
    for (let n = 0; n < 5; n++) {
      for (let t = 0; t < 29; t++) expect(y[n]![t]![0]).toBeCloseTo(x[n]![t + 1]![0]!, 6);
      expect(x[n]!.every(([v]) => Math.abs(v!) <= 1)).toBe(true);
    }
    const noisy = sineWave({ count: 5, length: 30, seed: 2, noise: 0.1 });
    expect(noisy.targets.toArray()).toEqual(targets.toArray());
    expect(noisy.inputs.toArray()).not.toEqual(inputs.toArray());
    expect(() => sineWave({ frequency: [0.2, 0.1] })).toThrow(/frequency must be \[low, high\]/);
  });
});

describe("textCorpus", () => {
  it("chunks text into shifted (input, target) pairs with a contiguous val split", () => {
    const text = "abcdefghijklmnopqrstuvwxyz";
    const c = textCorpus(text, { seqLen: 4, valFraction: 0.25 });
    expect(c.vocab.size).toBe(26);
    expect(c.train.length).toBe(4); // 20 train chars: chunks start at 0, 4, 8, 12
    const [x, y] = c.train.get(1);
    expect(c.vocab.decode(x)).toBe("efgh");
    expect(c.vocab.decode(y)).toBe("fghi");
    expect(c.val.length).toBe(1);
    expect(c.vocab.decode(c.val.get(0)[0])).toBe("uvwx");
    const strided = textCorpus(text, { seqLen: 4, stride: 1, valFraction: 0 });
    expect(strided.train.length).toBe(22);
    expect(() => textCorpus("ab", { seqLen: 4 })).toThrow(/text too short/);
    expect(() => c.train.get(4)).toThrow(/index 4 out of range for dataset of length 4/);
  });

});
