import { tensor, zeros } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import {
  ELU, Flatten, GELU, Hardtanh, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh, Threshold,
} from "../src/activationModules.js";

describe("activation modules", () => {
  const x = tensor([[-2, -0.5, 0, 0.5, 3]]);
  it("compute their functions with torch's defaults and options", () => {
    expect(new ReLU().forward(x).toArray()).toEqual([[0, 0, 0, 0.5, 3]]);
    expect(new LeakyReLU().forward(x).data()[0]).toBeCloseTo(-0.02, 7);
    expect(new LeakyReLU(0.5).forward(x).data()[0]).toBe(-1);
    expect(new LeakyReLU({ negativeSlope: 0.25 }).forward(x).data()[0]).toBe(-0.5);
    expect(new ELU({ alpha: 2 }).forward(x).data()[0]).toBeCloseTo(2 * (Math.exp(-2) - 1), 6);
    expect(new Hardtanh(-1, 2).forward(x).toArray()).toEqual([[-1, -0.5, 0, 0.5, 2]]);
    expect(new Threshold(0.2, -9).forward(x).toArray()).toEqual([[-9, -9, -9, 0.5, 3]]);
    expect(new Tanh().forward(x).data()[4]).toBeCloseTo(Math.tanh(3), 6);
    expect(new Sigmoid().forward(x).data()[2]).toBe(0.5);
    expect(new Softplus({ beta: 2 }).forward(x).data()[2]).toBeCloseTo(Math.log(2) / 2, 6);
    expect(new GELU({ approximate: "tanh" }).forward(x).data()[4]).toBeCloseTo(2.9963627, 5);
    expect(() => new GELU({ approximate: "fast" as "tanh" })).toThrow('GELU: approximate must be "none" or "tanh", got fast');
  });
  it("Softmax / LogSoftmax use the given dim, or torch's implicit one", () => {
    const s = Array.from(new Softmax(1).forward(x).data());
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(new Softmax().forward(x).data()).toEqual(new Softmax(1).forward(x).data());
    expect(new Softmax().forward(x.unsqueeze(0)).toArray()).toEqual([[[1, 1, 1, 1, 1]]]);
    expect(new LogSoftmax({ dim: -1 }).forward(x).data()[4]).toBeLessThan(0);
  });
  it("Flatten flattens dims 1.. by default", () => {
    expect(new Flatten().forward(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new Flatten({ startDim: 0 }).forward(zeros([2, 3, 4])).shape).toEqual([24]);
    expect(() => new Flatten({ startDim: 3 }).forward(zeros([2, 3]))).toThrow("Flatten.forward: dim 3 is out of range for input of shape [2, 3]");
  });
});
