import { arange, tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { defaultCollate } from "../src/index.js";

describe("defaultCollate", () => {
  it("stacks tensors along a new first dimension", () => {
    const out = defaultCollate([arange(6).reshape(2, 3), arange(6, 12).reshape(2, 3)]);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(out.dtype).toBe("int32");
    expect(out.toArray()).toEqual([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]]);
  });

  it("numbers: int32 when all integers, else float32; booleans as 0/1", () => {
    const ints = defaultCollate([1, 2, 3]);
    expect(ints.dtype).toBe("int32");
    expect(ints.toArray()).toEqual([1, 2, 3]);
    const floats = defaultCollate([1, 2.5]);
    expect(floats.dtype).toBe("float32");
    expect(floats.toArray()).toEqual([1, 2.5]);
    expect(defaultCollate([true, false]).toArray()).toEqual([1, 0]);
  });

  it("typed arrays become rows", () => {
    const out = defaultCollate([new Float32Array([1, 2]), new Float32Array([3, 4])]);
    expect(out.shape).toEqual([2, 2]);
    expect(out.dtype).toBe("float32");
    expect(defaultCollate([new Int32Array([1]), new Int32Array([2])]).dtype).toBe("int32");
  });

  it("recurses into tuples, nested arrays and objects; strings stay lists", () => {
    const out = defaultCollate([
      [tensor([1, 2]), 0, { id: "a", w: [0.5, 1] }],
      [tensor([3, 4]), 1, { id: "b", w: [1.5, 2] }],
    ] as const);
    expect(out[0].toArray()).toEqual([[1, 2], [3, 4]]);
    expect(out[1].toArray()).toEqual([0, 1]);
    expect(out[2].id).toEqual(["a", "b"]);
    expect(out[2].w.map((t) => t.toArray())).toEqual([[0.5, 1.5], [1, 2]]);
  });

  it("names the problem on mismatches", () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow("defaultCollate: batch: stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1");
    expect(() => defaultCollate([[tensor([1]), 1], [tensor([1]), 1, 2]])).toThrow(/each element in list of batch should be of equal size, got 2 at entry 0 and 3 at entry 1/);
    expect(() => defaultCollate([[tensor([1]), 1], [tensor([1]), "x"]])).toThrow("defaultCollate: batch[1]: sample 0 is number but sample 1 is string");
    expect(() => defaultCollate([tensor([1]), tensor([1], { dtype: "int32" })])).toThrow(/share a dtype, got float32 at entry 0 and int32 at entry 1/);
    expect(() => defaultCollate([{ a: 1 }, { b: 1 }])).toThrow('defaultCollate: batch: sample 1 has no key "a"');
    expect(() => defaultCollate([])).toThrow(/must not be empty/);
    expect(() => defaultCollate([null, null])).toThrow(/cannot collate null/);
  });
});
