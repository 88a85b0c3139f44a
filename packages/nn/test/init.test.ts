import { Generator, manualSeed, matmul, tensor, zeros } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import {
  calculateFanInAndFanOut, calculateGain, constant_, eye_, kaimingNormal_, kaimingUniform_, normal_, orthogonal_, uniform_,
  xavierUniform_,
} from "../src/init.js";

function gram(w: ReturnType<typeof zeros>, rowsFirst: boolean) {
  const m = w.reshape([w.shape[0]!, -1]);
  return (rowsFirst ? matmul(m, m.t()) : matmul(m.t(), m)).toArray() as number[][];
}

describe("init", () => {
  it("orthogonal_ gives orthonormal rows (or columns) times gain", () => {
    for (const [shape, rowsFirst] of [[[3, 7], true], [[7, 3], false], [[4, 2, 3], true], [[5, 5], true]] as const) {
      const w = orthogonal_(zeros([...shape]), { gain: 2 });
      const g = gram(w, rowsFirst);
      g.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 4 : 0, 5)));
    }
    expect(() => orthogonal_(zeros([3]))).toThrow("orthogonal_: only tensors with 2 or more dimensions are supported, got shape [3]");
  });

  it("a generator makes the draws independent of the global stream", () => {
    const a = uniform_(zeros([10]), { generator: new Generator(5) });
    manualSeed(5);
    const b = uniform_(zeros([10]));
    manualSeed(123);
    const c = kaimingNormal_(zeros([4, 4]), { generator: new Generator(5) });
    manualSeed(5);
    const d = kaimingNormal_(zeros([4, 4]));
    expect(a.data()).toEqual(b.data());
    expect(c.data()).toEqual(d.data());
  });

  it("uniform_ and normal_ accept torch's positional bounds and keep them", () => {
    const u = uniform_(zeros([1000]), -3, -2);
    expect(u.data().every((v) => v >= -3 && v < -2)).toBe(true);
    const n = Array.from(normal_(zeros([4000]), 5, 0.1).data());
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    expect(mean).toBeCloseTo(5, 1);
    expect(() => uniform_(zeros([2]), 1, 0)).toThrow("uniform_: expects a <= b, got a=1 and b=0");
    expect(() => normal_(zeros([2]), 0, -1)).toThrow("normal_: expects std >= 0.0, but found std -1");
  });

  it("fans, gains and the deterministic fills", () => {
    expect(calculateFanInAndFanOut(zeros([20, 10, 3]))).toEqual([30, 60]);
    expect(() => calculateFanInAndFanOut(zeros([5]))).toThrow(/fewer than 2 dimensions, got shape \[5\]/);
    expect(() => xavierUniform_(zeros([5]))).toThrow(/xavierUniform_: fan in and fan out can not be computed/);
    expect(calculateGain("tanh")).toBeCloseTo(5 / 3, 15);
    expect(calculateGain("leaky_relu")).toBeCloseTo(Math.sqrt(2 / 1.0001), 15);
    expect(() => calculateGain("swish" as "relu")).toThrow("calculateGain: unsupported nonlinearity swish");
    expect(() => kaimingUniform_(zeros([2, 2]), { mode: "fan_avg" as "fan_in" })).toThrow(/mode fan_avg not supported/);
    expect(eye_(zeros([2, 3])).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(() => eye_(zeros([2, 2, 2]))).toThrow("eye_: only tensors with 2 dims are supported, got shape [2, 2, 2]");
    expect(constant_(tensor([1, 2]), 0.5).toArray()).toEqual([0.5, 0.5]);
  });

  it("initializes a view of a parameter in place, leaving the rest of the base alone", () => {
    const w = zeros([4, 3]).requiresGrad_();
    constant_(w.narrow(0, 1, 2), 7);
    expect(w.toArray()).toEqual([[0, 0, 0], [7, 7, 7], [7, 7, 7], [0, 0, 0]]);
    orthogonal_(w.narrow(0, 0, 2));
    const top = w.narrow(0, 0, 2).detach();
    const g = matmul(top, top.t()).toArray() as number[][];
    expect(g[0]![0]).toBeCloseTo(1, 5);
    expect(g[0]![1]).toBeCloseTo(0, 5);
    expect((w.toArray() as number[][])[2]).toEqual([7, 7, 7]);
    expect(w.isLeaf && w.requiresGrad).toBe(true);
  });

  it("leaves zero-element tensors untouched without drawing", () => {
    manualSeed(0);
    kaimingUniform_(zeros([0, 3]));
    const after = uniform_(zeros([3])).data();
    manualSeed(0);
    expect(uniform_(zeros([3])).data()).toEqual(after);
  });
});
