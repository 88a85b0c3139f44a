import { describe, expect, expectTypeOf, it } from "vitest";
import { tensor, type Tensor } from "@rnnkit/autograd";
import { DataLoader, TensorDataset, copyTask } from "@rnnkit/data";

describe("data API contract", () => {
  it("TensorDataset keeps its tuple type, so a loader's batches destructure without casts", () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = tensor([0, 1, 0], { dtype: "int32" });
    const ds = new TensorDataset(x, y);
    expectTypeOf(ds.get(0)).toEqualTypeOf<[Tensor, Tensor]>();
    const loader = new DataLoader(ds, { batchSize: 2 });
    expect(loader.length).toBe(2);
    const seen: number[][] = [];
    for (const [bx, by] of loader) {
      expectTypeOf(bx).toEqualTypeOf<Tensor>();
      expectTypeOf(by).toEqualTypeOf<Tensor>();
      seen.push([bx.shape[0]!, by.shape[0]!]);
      expect(by.dtype).toBe("int32");
    }
    expect(seen).toEqual([[2, 2], [1, 1]]);
  });

  it("a generated task's dataset is a pair of tensors", () => {
    const task = copyTask({ count: 4, length: 3, sequenceLength: 2 });
    expectTypeOf(task.dataset.get(0)).toEqualTypeOf<[Tensor, Tensor]>();
    expect(task.dataset.get(0).length).toBe(2);
  });
});
