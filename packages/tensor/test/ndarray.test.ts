import { describe, expect, it } from "vitest";
import { broadcastShapes, checkShape, contiguousStrides, fmt, NDArray, normDim, numel } from "../src/index.js";

const iota = (shape: number[]) => NDArray.from(Float32Array.from({ length: numel(shape) }, (_, i) => i), { shape });

describe("NDArray construction", () => {
  it("from nested arrays infers the shape; from flat data takes a shape", () => {
    const a = NDArray.from([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.strides).toEqual([3, 1]);
    expect(a.dtype).toBe("float32");
    const b = NDArray.from(new Int32Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
    expect(b.dtype).toBe("int32");
    expect(b.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(NDArray.from([1, 2, 3, 4], { shape: [2, 2], dtype: "float64" }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(NDArray.from([1.7, -2.7], { dtype: "int32" }).toArray()).toEqual([1, -2]);
  });

  it("copies its input (later writes to the source do not leak in)", () => {
    const src = new Float32Array([1, 2]);
    const a = NDArray.from(src);
    src[0] = 9;
    expect(a.toArray()).toEqual([1, 2]);
  });

  it("0-d, empty and scalar arrays", () => {
    expect(NDArray.scalar(3).toArray()).toBe(3);
    expect(NDArray.scalar(3).shape).toEqual([]);
    expect(NDArray.from(5).shape).toEqual([]);
    expect(NDArray.from([]).shape).toEqual([0]);
    expect(NDArray.zeros([2, 0, 3]).toArray()).toEqual([[], []]);
    expect(NDArray.full([2], 7, "int32").toArray()).toEqual([7, 7]);
  });

  it("rejects ragged input, wrong sizes and bad shapes, naming the problem", () => {
    expect(() => NDArray.from([[1, 2], [3]])).toThrow("tensor: ragged nested array (expected length 2 at depth 1)");
    expect(() => NDArray.from(new Float32Array(5), { shape: [2, 3] })).toThrow("tensor: shape [2, 3] needs 6 values, got 5");
    expect(() => NDArray.zeros([2, -3])).toThrow("zeros: invalid shape [2, -3] (sizes must be non-negative integers)");
    expect(() => NDArray.zeros([1.5])).toThrow(/zeros: invalid shape \[1.5\]/);
  });
});

describe("views share storage", () => {
  it("transpose, permute, narrow, select, expand, squeeze, unsqueeze and contiguous reshape alias the data", () => {
    const a = iota([2, 3, 4]);
    const views = [
      a.transpose(0, 2), a.permute([1, 2, 0]), a.narrow(1, 1, 2), a.select(2, 3), a.unsqueeze(1).squeeze(1),
      a.reshape([6, 4]), a.view([4, 6]), a.narrow(0, 1, 1).expand([5, 3, 4]),
    ];
    for (const v of views) expect(v.data).toBe(a.data);
    a.data[a.offset + 1 * 12 + 2 * 4 + 3] = -1; // a[1, 2, 3]
    expect(a.transpose(0, 2).get(3, 2, 1)).toBe(-1);
    expect(a.select(2, 3).get(1, 2)).toBe(-1);
    expect(a.narrow(1, 1, 2).get(1, 1, 3)).toBe(-1);
    expect(a.narrow(0, 1, 1).expand([5, 3, 4]).get(4, 2, 3)).toBe(-1);
  });

  it("strides and offsets of views", () => {
    const a = iota([2, 3, 4]);
    expect(a.transpose(0, 2).strides).toEqual([1, 4, 12]);
    expect(a.narrow(2, 1, 2).offset).toBe(1);
    expect(a.select(0, 1).offset).toBe(12);
    expect(a.expand([5, 2, 3, 4]).strides).toEqual([0, 12, 4, 1]);
    expect(NDArray.from([[1], [2]]).expand([2, 3]).strides).toEqual([1, 0]);
    expect(a.unsqueeze(3).strides).toEqual([12, 4, 1, 1]);
  });

  it("contiguous() returns itself when contiguous, else a packed copy with the same values", () => {
    const a = iota([3, 4]);
    expect(a.contiguous()).toBe(a);
    const t = a.transpose(0, 1);
    expect(t.isContiguous()).toBe(false);
    const c = t.contiguous();
    expect(c).not.toBe(t);
    expect(c.isContiguous()).toBe(true);
    expect(c.offset).toBe(0);
    expect(c.data).not.toBe(a.data);
    expect(c.toArray()).toEqual([[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]]);
    expect(Array.from(t.flat())).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(a.narrow(1, 1, 2).copy().data.length).toBe(6);
  });

  it("size-1 dims do not break contiguity; narrowed rows stay contiguous", () => {
    expect(iota([3, 1, 4]).permute([1, 0, 2]).isContiguous()).toBe(true);
    expect(iota([4, 3]).narrow(0, 1, 2).isContiguous()).toBe(true);
    expect(iota([4, 3]).narrow(1, 1, 2).isContiguous()).toBe(false);
  });
});

describe("reshape and view", () => {
  it("infers one -1, views when strides allow, copies otherwise", () => {
    const a = iota([2, 3, 4]);
    expect(a.reshape([-1, 4]).shape).toEqual([6, 4]);
    const t = a.transpose(1, 2); // [2, 4, 3], not viewable as [2, 12]... but dim 0 splits
    const r = t.reshape([2, 12]);
    expect(r.data).not.toBe(a.data);
    expect(r.toArray()).toEqual(t.contiguous().reshape([2, 12]).toArray());
    expect(t.view([2, 4, 3]).data).toBe(a.data);
    expect(a.permute([1, 0, 2]).view([3, 2, 2, 2]).data).toBe(a.data);
  });

  it("view errors when the strides forbid it; reshape/view size errors name the shapes", () => {
    expect(() => iota([2, 3]).transpose(0, 1).view([6])).toThrow("view: size [6] is not compatible with input of shape [3, 2] and strides [1, 3]; use reshape");
    expect(() => iota([2, 3]).reshape([4, 2])).toThrow("reshape: shape [4, 2] is invalid for input of size 6 (shape [2, 3])");
    expect(() => iota([2, 3]).reshape([-1, -1])).toThrow("reshape: only one dimension can be inferred, got shape [-1, -1]");
    expect(() => iota([2, 3]).view([-1, 4])).toThrow("view: shape [-1, 4] is invalid for input of size 6");
  });
});

describe("element access and conversion", () => {
  it("get with negative indices and bounds errors", () => {
    const a = iota([2, 3]);
    expect(a.get(-1, -1)).toBe(5);
    expect(() => a.get(2, 0)).toThrow("get: index 2 is out of bounds for dim 0 with size 2");
    expect(() => a.get(0)).toThrow("get: expected 2 indices, got 1");
  });

  it("astype truncates toward zero and returns itself for the same dtype", () => {
    const a = NDArray.from([-1.7, -0.2, 0.5, 2.9]);
    expect(a.astype("float32")).toBe(a);
    expect(a.astype("int32").toArray()).toEqual([-1, 0, 0, 2]);
    expect(a.astype("float64").dtype).toBe("float64");
  });

  it("toArray of a strided view follows the logical order", () => {
    expect(iota([2, 2, 2]).permute([2, 0, 1]).toArray()).toEqual([[[0, 2], [4, 6]], [[1, 3], [5, 7]]]);
  });
});

describe("view-op errors name the op, the argument and the shape", () => {
  const a = iota([2, 3]);
  it.each([
    [() => a.transpose(0, 2), "transpose: dim 2 is out of range for a 2-D tensor (expected in [-2, 1])"],
    [() => a.permute([0]), "permute: number of dims 1 does not match the input's 2 (shape [2, 3])"],
    [() => a.permute([0, 0]), "permute: repeated dim in [0, 0]"],
    [() => a.narrow(1, 2, 2), "narrow: start 2 and length 2 exceed dim 1 of size 3 (shape [2, 3])"],
    [() => a.select(0, 2), "select: index 2 is out of range for dim 0 of size 2 (shape [2, 3])"],
    [() => a.expand([3]), "expand: the target shape [3] has fewer dims than the input shape [2, 3]"],
    [() => a.expand([4, 3]), "expand: the expanded size 4 must match the existing size 2 at dim 0 (input [2, 3], target [4, 3])"],
    [() => a.unsqueeze(4), "unsqueeze: dim 4 is out of range for a 3-D tensor (expected in [-3, 2])"],
  ])("%#", (fn, msg) => {
    expect(fn).toThrow(msg);
  });
});

describe("shape helpers", () => {
  it("broadcastShapes follows torch's right-aligned rule", () => {
    expect(broadcastShapes([3, 1], [4], "add")).toEqual([3, 4]);
    expect(broadcastShapes([], [2, 2], "add")).toEqual([2, 2]);
    expect(broadcastShapes([5, 1, 0], [1, 7, 1], "mul")).toEqual([5, 7, 0]);
    expect(() => broadcastShapes([2, 3], [4, 3], "mul")).toThrow("mul: shapes [2, 3] and [4, 3] cannot be broadcast (size 2 vs 4 at dim -2)");
  });
  it("contiguousStrides, numel, fmt, normDim, checkShape", () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(numel([])).toBe(1);
    expect(numel([2, 0])).toBe(0);
    expect(fmt([])).toBe("[]");
    expect(normDim(-1, 3, "op")).toBe(2);
    expect(normDim(0, 0, "op")).toBe(0);
    expect(checkShape([2, -1], "op", 8)).toEqual([2, 4]);
    expect(() => checkShape([3, -1], "op", 8)).toThrow("op: shape [3, -1] is invalid for input of size 8");
  });
});
