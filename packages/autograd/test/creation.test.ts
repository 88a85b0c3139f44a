import { describe, expect, it } from "vitest";
import { bernoulli, defaultGenerator, Generator, manualSeed, rand, randint, randn, tensor } from "../src/index.js";

describe("random creation functions draw torch's streams from the generator", () => {
  it("manualSeed(k) then rand/randn/randint equal the Generator's own draws, in order", () => {
    manualSeed(42);
    const a = rand([3, 2]);
    const b = randn([20]);
    const c = randn([5], { dtype: "float64" });
    const d = randint(-3, 9, [6]);
    const g = new Generator(42);
    const ua = new Float32Array(6);
    g.fillUniform(ua);
    const nb = new Float32Array(20);
    g.fillNormal(nb);
    const nc = new Float64Array(5);
    g.fillNormal(nc);
    expect(Array.from(a.data())).toEqual(Array.from(ua));
    expect(Array.from(b.data())).toEqual(Array.from(nb));
    expect(c.dtype).toBe("float64");
    expect(Array.from(c.data())).toEqual(Array.from(nc));
    expect(Array.from(d.data())).toEqual(Array.from({ length: 6 }, () => g.randint(-3, 9)));
    expect(d.dtype).toBe("int32");
  });

  it("torch.manual_seed(0); torch.randn(4) and torch.rand(3)", () => {
    // Values printed by torch 1.13 for these exact calls.
    manualSeed(0);
    expect(Array.from(randn([4]).data())).toEqual([1.5409960746765137, -0.293428897857666, -2.1787893772125244, 0.5684312582015991]);
    manualSeed(0);
    expect(Array.from(rand([3]).data())).toEqual([0.49625658988952637, 0.7682217955589294, 0.08847743272781372]);
  });

  it("an explicit generator leaves the default one untouched", () => {
    manualSeed(1);
    const before = defaultGenerator.getState();
    randn([17], { generator: new Generator(3) });
    expect(defaultGenerator.getState()).toEqual(before);
  });

  it("bernoulli draws 24-bit uniforms for float32 probabilities, 53-bit for float64", () => {
    const p = [0.1, 0.5, 0.9, 0.3, 0.7, 0.5];
    const g32 = new Generator(5);
    const want32 = p.map((q) => g32.bernoulli(Math.fround(q), 24));
    expect(Array.from(bernoulli(tensor(p), { generator: new Generator(5) }).data())).toEqual(want32);
    const g64 = new Generator(5);
    const want64 = p.map((q) => g64.bernoulli(q, 53));
    expect(Array.from(bernoulli(tensor(p, { dtype: "float64" }), { generator: new Generator(5) }).data())).toEqual(want64);
    expect(() => bernoulli(tensor([0.5, 1.5]))).toThrow("bernoulli: probabilities must be in [0, 1], got 1.5 (shape [2])");
  });

  it("random functions refuse int32 dtypes and bad bounds", () => {
    expect(() => rand([2], { dtype: "int32" })).toThrow("rand: dtype must be floating point, got int32");
    expect(() => randn([2], { dtype: "int32" })).toThrow("randn: dtype must be floating point, got int32");
    expect(() => randint(3, 3, [2])).toThrow("randint: high (3) must be greater than low (3)");
  });
});
