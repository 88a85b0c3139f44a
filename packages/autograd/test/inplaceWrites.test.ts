import { describe, expect, it } from "vitest";
import { gradcheck, linspace, randn, Tensor, tensor } from "@rnnkit/autograd";
import { expectTensorClose, loadFixture, type FixtureTensor } from "./helpers.js";
import { torchErrorCore } from "./inplaceCases.js";

interface Case {
  name: string;
  shape: number[];
  values?: FixtureTensor;
  error?: string;
  grad?: { a: FixtureTensor; value: FixtureTensor | null };
  gradError?: string;
}

const { cases } = loadFixture<{ cases: Case[] }>("inplace_writes.json");

const i32 = (...v: number[]) => tensor(v, { dtype: "int32" });
const mask = (...v: number[]) => tensor(v, { dtype: "int32" });

/** The WRITES of tools/parity/inplace.py by name: (x, value) → the in-place write. */
const WRITES: Record<string, (x: Tensor, v: Tensor | null) => void> = {
  "indexPut_(rows)": (x, v) => x.indexPut_([i32(0, 2)], v!),
  "indexPut_(rows,scalar)": (x) => x.indexPut_([i32(2, 0)], tensor(7)),
  "indexPut_(pairs)": (x, v) => x.indexPut_([i32(0, 2, 1), i32(1, 3, -1)], v!),
  "indexPut_(pairs,accumulate)": (x, v) => x.indexPut_([i32(0, 2, 0), i32(1, 3, 1)], v!, true),
  "indexPut_(rows,accumulate,dup)": (x, v) => x.indexPut_([i32(1, 1, -1)], v!, true),
  "indexPut_(broadcast idx)": (x, v) => x.indexPut_([i32(0, 2).reshape(2, 1), i32(1, 3, 0)], v!),
  "indexPut_(number,tensor)": (x, v) => x.indexPut_([1, i32(0, 2)], v!),
  "indexPut_(3d rows)": (x, v) => x.indexPut_([i32(1)], v!),
  "indexPut_(bad value)": (x, v) => x.indexPut_([i32(0, 2)], v!),
  "indexPut_(out of bounds)": (x) => x.indexPut_([i32(5)], tensor(1)),
  "maskedFill_(row mask)": (x) => x.maskedFill_(mask(1, 0, 1, 0), 5),
  "maskedFill_(full mask,tensor)": (x, v) => x.maskedFill_(tensor(Int32Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 1 : 0)), { shape: [3, 4] }), v!),
  "maskedFill_(bad mask)": (x) => x.maskedFill_(tensor(new Int32Array(12).fill(1), { shape: [3, 4] }), 5),
  "maskedFill_(vector value)": (x, v) => x.maskedFill_(mask(1, 0, 1, 0), v!),
  "indexFill_(dim1)": (x) => x.indexFill_(1, i32(0, 2), 5),
  "indexFill_(dim0,negative,tensor)": (x, v) => x.indexFill_(0, i32(-1), v!),
  "indexFill_(out of bounds)": (x) => x.indexFill_(1, i32(4), 1),
  "scatter_(dim0,src)": (x, v) => x.scatter_(0, i32(0, 1, 2, 0, 2, 0, 0, 1).reshape(2, 4), v!),
  "scatter_(dim1,src larger)": (x, v) => x.scatter_(1, i32(3, 0, 1, 2, 2, 0).reshape(3, 2), v!),
  "scatter_(dim1,value)": (x) => x.scatter_(1, i32(2, 0, 3).reshape(3, 1), 1),
  "scatter_(reduce add)": (x) => x.scatter_(0, i32(0, 1, 2, 0, 2, 0, 0, 1).reshape(2, 4), linspace(1, 2, 8).reshape(2, 4), { reduce: "add" }),
  "scatter_(reduce multiply)": (x) => x.scatter_(0, i32(0, 1, 2, 0, 2, 0, 0, 1).reshape(2, 4), 2, { reduce: "multiply" }),
  "scatter_(out of bounds)": (x) => x.scatter_(0, i32(3).reshape(1, 1), 1),
  "setItem([1,2])": (x) => x.setItem([1, 2], 9),
  "setItem([null,2])": (x, v) => x.setItem([null, 2], v!),
  "setItem(1)": (x, v) => x.setItem(1, v!),
  "setItem([idx])": (x, v) => x.setItem(i32(2, 0), v!),
  "setItem([idx,null])": (x, v) => x.setItem([i32(2, 0), null], v!),
};

/** Where torch 1.13's own backward fails (a bug, not a rule): rnnkit's gradient is checked by gradcheck below. */
const TORCH_BACKWARD_BUGS = new Set(["indexFill_(dim0,negative,tensor)", "scatter_(dim1,src larger)"]);

describe("item assignment (indexPut_, maskedFill_, indexFill_, scatter_, setItem) against torch", () => {
  it("covers every write of the fixture", () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(WRITES).sort());
  });
  for (const c of cases) {
    it(c.name, () => {
      const write = WRITES[c.name]!;
      const n = c.shape.reduce((a, b) => a * b, 1);
      const start = () => linspace(-1, 1, n).reshape(c.shape);
      const value = (): Tensor | null => {
        const shape = VALUE_SHAPES[c.name];
        if (shape === undefined) return null;
        const m = Math.max(1, shape.reduce((a, b) => a * b, 1));
        return linspace(2, 3, m).reshape(shape);
      };
      if (c.error !== undefined) {
        expect(() => write(start(), value())).toThrow(torchErrorCore(c.error).replace(/masked_fill_ /, ""));
        return;
      }
      const x = start();
      write(x, value());
      expectTensorClose(x, c.values!, "values after the write");

      const a = start().requiresGrad_();
      const v = value()?.requiresGrad_() ?? null;
      const run = () => {
        const y = a.mul(1);
        write(y, v);
        y.mul(linspace(0.5, 1.5, n).reshape(c.shape)).sum().backward();
      };
      if (c.gradError !== undefined && !TORCH_BACKWARD_BUGS.has(c.name)) {
        expect(run).toThrow(/is not implemented/);
        return;
      }
      run();
      if (c.grad) {
        expectTensorClose(a.grad!, c.grad.a, "gradient of the written tensor's source");
        if (c.grad.value) expectTensorClose(v!.grad!, c.grad.value, "gradient of the value");
      }
    });
  }
});

/** The value shapes of the fixture's WRITES (null: no value tensor). */
const VALUE_SHAPES: Record<string, number[] | undefined> = {
  "indexPut_(rows)": [4],
  "indexPut_(pairs)": [3],
  "indexPut_(pairs,accumulate)": [3],
  "indexPut_(rows,accumulate,dup)": [3, 4],
  "indexPut_(broadcast idx)": [2, 3],
  "indexPut_(number,tensor)": [4],
  "indexPut_(3d rows)": [3, 1],
  "indexPut_(bad value)": [3],
  "maskedFill_(full mask,tensor)": [],
  "maskedFill_(vector value)": [2],
  "indexFill_(dim0,negative,tensor)": [],
  "scatter_(dim0,src)": [2, 4],
  "scatter_(dim1,src larger)": [3, 3],
  "setItem([null,2])": [3],
  "setItem(1)": [4],
  "setItem([idx])": [1, 4],
  "setItem([idx,null])": [4],
};

describe("item-assignment gradients where torch 1.13's backward fails", () => {
  it("indexFill_ with a negative index and a tensor value", () => {
    const fn = (x: Tensor, v: Tensor) => x.mul(1).indexFill_(0, i32(-1), v).mul(x).sum();
    expect(gradcheck(fn, [randn([3, 4], { requiresGrad: true }), randn([], { requiresGrad: true })])).toBe(true);
  });
  it("scatter_ with a src larger than its index", () => {
    const fn = (x: Tensor, s: Tensor) => x.mul(1).scatter_(1, i32(3, 0, 1, 2, 2, 0).reshape(3, 2), s).square().sum();
    expect(gradcheck(fn, [randn([3, 4], { requiresGrad: true }), randn([3, 3], { requiresGrad: true })])).toBe(true);
  });
});
