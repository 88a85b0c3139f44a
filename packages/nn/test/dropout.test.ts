import { Generator, ones, randn } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { Dropout } from "../src/dropout.js";

describe("Dropout", () => {
  it("zeroes about p of the elements and scales the rest by 1/(1-p) in training", () => {
    const d = new Dropout(0.25, { generator: new Generator(3) });
    const y = d.forward(ones([4000])).data();
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => v === Math.fround(1 / 0.75))).toBe(true);
    expect(kept.length / 4000).toBeGreaterThan(0.72);
    expect(kept.length / 4000).toBeLessThan(0.78);
  });

  it("is the identity after eval() and with p = 0; p = 1 zeroes everything", () => {
    const x = randn([3, 4]);
    const d = new Dropout(0.5);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(new Dropout(0).forward(x)).toBe(x);
    expect(new Dropout(1).forward(x).data().every((v) => v === 0)).toBe(true);
  });

  it("the same generator seed gives the same mask", () => {
    const a = new Dropout(0.5, { generator: new Generator(7) }).forward(ones([50])).data();
    const b = new Dropout(0.5, { generator: new Generator(7) }).forward(ones([50])).data();
    expect(a).toEqual(b);
  });

  it("rejects p outside [0, 1]", () => {
    expect(() => new Dropout(1.5)).toThrow("Dropout: dropout probability has to be between 0 and 1, but got 1.5");
    expect(() => new Dropout(-0.1)).toThrow("Dropout: dropout probability has to be between 0 and 1, but got -0.1");
    expect(() => new Dropout(Number.NaN)).toThrow(/between 0 and 1, but got NaN/);
  });
});
