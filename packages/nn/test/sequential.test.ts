import { randn, type Tensor, tensor } from "@rnnkit/autograd";
import { describe, expect, expectTypeOf, it } from "vitest";
import { ReLU, Tanh } from "../src/activationModules.js";
import { Linear } from "../src/linear.js";
import { Module } from "../src/module.js";
import { ModuleList, Sequential } from "../src/sequential.js";

describe("Sequential", () => {
  it("chains forwards and names children 0, 1, … as torch", () => {
    const net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
    expect(net.forward(randn([3, 4])).shape).toEqual([3, 2]);
    expect(net.namedParameters().map(([k]) => k)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(net.length).toBe(3);
    expect(net.at(-1)).toBe(net.at(2));
    expect([...net].map((m) => m.constructor.name)).toEqual(["Linear", "ReLU", "Linear"]);
  });

  it("computes the composition", () => {
    const fc = new Linear(1, 1);
    fc.loadStateDict({ weight: tensor([[-2]]), bias: tensor([1]) });
    const net = new Sequential(fc, new ReLU());
    expect(net.forward(tensor([[1], [-1]])).toArray()).toEqual([[0], [3]]);
  });

  it("takes named children from one object, and supports append, insert and slice", () => {
    const net = new Sequential({ fc: new Linear(2, 2), act: new Tanh() });
    expect(net.namedChildren().map(([k]) => k)).toEqual(["fc", "act"]);
    const s = new Sequential(new Linear(2, 3)).append(new ReLU());
    s.insert(0, new Tanh());
    expect([...s].map((m) => m.constructor.name)).toEqual(["Tanh", "Linear", "ReLU"]);
    expect(s.namedParameters().map(([k]) => k)).toEqual(["1.weight", "1.bias"]);
    expect(s.slice(1).namedParameters().map(([k]) => k)).toEqual(["0.weight", "0.bias"]);
  });

  it("rejects non-modules and out-of-range positions", () => {
    expect(() => new Sequential(new ReLU(), 3 as unknown as ReLU)).toThrow("Sequential.constructor: expected a Module, got number");
    expect(() => new Sequential(new ReLU()).at(1)).toThrow("Sequential.at: index 1 is out of range for 1 modules");
  });
});

describe("ModuleList", () => {
  it("registers its modules' parameters and iterates in order", () => {
    const layers = new ModuleList<Linear | ReLU>([new Linear(2, 2), new Linear(2, 2)]);
    layers.append(new Linear(2, 1));
    expect(layers.length).toBe(3);
    expect(layers.namedParameters().map(([k]) => k)).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"]);
    let x: Tensor = randn([5, 2]);
    for (const l of layers) x = l.forward(x);
    expect(x.shape).toEqual([5, 1]);
    layers.set(1, new ReLU());
    expect(layers.namedParameters().map(([k]) => k)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(() => layers.forward()).toThrow(/ModuleList.forward: a ModuleList has no forward/);
  });

  it("is typed by its modules, so a homogeneous list needs no casts", () => {
    const layers = new ModuleList([new Linear(2, 3), new Linear(3, 1)]);
    expectTypeOf(layers).toEqualTypeOf<ModuleList<Linear>>();
    expectTypeOf(layers.at(-1)).toEqualTypeOf<Linear>();
    let x: Tensor = randn([4, 2]);
    for (const l of layers) x = l.forward(x);
    expect(x.shape).toEqual([4, 1]);
    expect(layers.at(-1).outFeatures).toBe(1);
    expectTypeOf(new ModuleList()).toEqualTypeOf<ModuleList<Module>>();
  });
});
