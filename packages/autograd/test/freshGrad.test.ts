import { describe, expect, it } from "vitest";
import { NDArray } from "@rnnkit/tensor";
import { defineOp } from "../src/defineOp.js";
import { freshGrad } from "../src/gradUtil.js";
import { Tensor } from "../src/tensor.js";

// A leaf takes over a gradient its op marked fresh, and copies any other one.

describe("freshGrad", () => {
  const made: Tensor[] = [];
  const op = (fresh: boolean) =>
    defineOp<void>({
      name: fresh ? "freshDouble" : "sharedDouble",
      forward: ([x]) => new NDArray(Float32Array.from(x!.flat(), (v) => 2 * v), x!.shape.slice()),
      backward: (_ctx, g) => {
        const t = new Tensor(new NDArray(Float32Array.from(g.value.flat(), (v) => 2 * v), g.shape.slice()));
        made.push(t);
        return [fresh ? freshGrad(t) : t];
      },
    });

  it("becomes the leaf's .grad as it is; an unmarked gradient is copied", () => {
    for (const fresh of [true, false]) {
      made.length = 0;
      const x = new Tensor(NDArray.from([1, 2, 3])).requiresGrad_();
      op(fresh)([x], undefined).sum().backward();
      expect(Array.from(x.grad!.data())).toEqual([2, 2, 2]);
      expect(x.grad === made[0]).toBe(fresh);
    }
  });

  it("a second gradient for the same leaf is added into a new tensor, never into the fresh one", () => {
    made.length = 0;
    const x = new Tensor(NDArray.from([1, 2])).requiresGrad_();
    const f = op(true);
    f([x], undefined).add(f([x], undefined)).sum().backward();
    expect(Array.from(x.grad!.data())).toEqual([4, 4]);
    for (const t of made) expect(Array.from(t.data())).toEqual([2, 2]);
  });
});
