import { tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { DataLoader, padCollate } from "../src/index.js";

describe("padCollate", () => {
  it("pads 1-D sequences time-major by default and returns int32 lengths", () => {
    const out = padCollate()([tensor([1, 2, 3]), tensor([4]), tensor([5, 6])]);
    expect(out.padded.shape).toEqual([3, 3]);
    expect(out.padded.toArray()).toEqual([[1, 4, 5], [2, 0, 6], [3, 0, 0]]);
    expect(out.lengths.dtype).toBe("int32");
    expect(out.lengths.toArray()).toEqual([3, 1, 2]);
    expect(out.target).toBeUndefined();
    expect(out.sortedIndices).toBeUndefined();
  });

  it("batchFirst, paddingValue and feature dimensions", () => {
    const a = tensor([[1, 1], [2, 2]]);
    const b = tensor([[3, 3]]);
    const out = padCollate({ batchFirst: true, paddingValue: -1 })([a, b]);
    expect(out.padded.shape).toEqual([2, 2, 2]);
    expect(out.padded.toArray()).toEqual([[[1, 1], [2, 2]], [[3, 3], [-1, -1]]]);
    expect(out.padded.dtype).toBe("float32");
  });

  it("sort orders by decreasing length (stable) and reports where each row came from", () => {
    const out = padCollate({ sort: true, batchFirst: true })([[1], [2, 2, 2], [3, 3], [4, 4, 4]]);
    expect(out.lengths.toArray()).toEqual([3, 3, 2, 1]);
    expect(out.sortedIndices).toEqual([1, 3, 2, 0]);
    expect(out.padded.toArray()).toEqual([[2, 2, 2], [4, 4, 4], [3, 3, 0], [1, 0, 0]]);
    expect(out.padded.dtype).toBe("int32");
  });

  it("pads aligned sequence targets with -100 and stacks class targets", () => {
    const lm = padCollate({ batchFirst: true })([
      [tensor([1, 2, 3], { dtype: "int32" }), tensor([2, 3, 4], { dtype: "int32" })],
      [tensor([5], { dtype: "int32" }), tensor([6], { dtype: "int32" })],
    ]);
    expect(lm.padded.toArray()).toEqual([[1, 2, 3], [5, 0, 0]]);
    expect(lm.target!.toArray()).toEqual([[2, 3, 4], [6, -100, -100]]);
    expect(lm.target!.dtype).toBe("int32");
    const cls = padCollate({ sort: true })([[[1, 2], 0], [[3, 4, 5], 7]]);
    expect(cls.padded.toArray()).toEqual([[3, 1], [4, 2], [5, 0]]);
    expect(cls.target!.toArray()).toEqual([7, 0]);
    expect(cls.target!.dtype).toBe("int32");
    const scalar = padCollate()([[tensor([1, 2]), tensor(4, { dtype: "int32" })], [tensor([3]), tensor(5, { dtype: "int32" })]]);
    expect(scalar.target!.toArray()).toEqual([4, 5]);
    expect(scalar.padded.toArray()).toEqual([[1, 3], [2, 0]]);
  });

  it("works as a DataLoader collate", () => {
    const words = [[1, 2], [3], [4, 5, 6]].map((w) => [tensor(w, { dtype: "int32" }), w.length] as [ReturnType<typeof tensor>, number]);
    const loader = new DataLoader(words, { batchSize: 3, collate: padCollate({ batchFirst: true }) });
    const [batch] = [...loader];
    expect(batch!.padded.shape).toEqual([3, 3]);
    expect(batch!.lengths.toArray()).toEqual([2, 1, 3]);
    expect(batch!.target!.toArray()).toEqual([2, 1, 3]);
  });

  it("errors name the problem", () => {
    expect(() => padCollate()([tensor([[1, 2]]), tensor([[1, 2, 3]])])).toThrow("padCollate: sequences must share their trailing dimensions, got [1, 2] at entry 0 and [1, 3] at entry 1");
    expect(() => padCollate()([tensor(1)])).toThrow("padCollate: sample 0 must have at least 1 dimension, got shape []");
    expect(() => padCollate()([])).toThrow(/must not be empty/);
    expect(() => padCollate()([[1, 2], [[1], 0]])).toThrow(/sample 1 differs from sample 0/);
  });
});
