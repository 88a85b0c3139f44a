import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Generator, gradcheck, randn, tensor, type Tensor } from "../src/index.js";

interface Fx { shape: number[]; dtype: "float32" | "float64"; data: (number | string)[] }
interface Case { name: string; opts: Record<string, number | string>; input: Fx; output: Fx; upstream: Fx; grad: Fx }
const cases = JSON.parse(readFileSync(join(__dirname, "fixtures", "activations.json"), "utf8")) as Case[];

const nums = (d: (number | string)[]) => d.map((v) => (v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v === "NaN" ? NaN : (v as number)));
const mk = (f: Fx, requiresGrad = false) => tensor(f.dtype === "float64" ? Float64Array.from(nums(f.data)) : Float32Array.from(nums(f.data)), { shape: f.shape, requiresGrad });

/** Calls the activation the way users do: a Tensor method with the case's options object. */
function apply(x: Tensor, name: string, opts: Record<string, number | string>): Tensor {
  switch (name) {
    case "leakyRelu": return x.leakyRelu(opts);
    case "elu": return x.elu(opts);
    case "selu": return x.selu();
    case "gelu": return x.gelu(opts as { approximate?: "none" | "tanh" });
    case "silu": return x.silu();
    case "mish": return x.mish();
    case "softplus": return x.softplus(opts);
    case "softsign": return x.softsign();
    case "hardtanh": return x.hardtanh(opts);
    case "relu6": return x.relu6();
    case "hardsigmoid": return x.hardsigmoid();
    case "hardswish": return x.hardswish();
    case "logSigmoid": return x.logSigmoid();
    case "tanhshrink": return x.tanhshrink();
    default: throw new Error(`unknown activation ${name}`);
  }
}

/**
 * float64 must agree to ~1e-12. float32 references round intermediates such as `1 + erf(x)`
 * (cancellation near x ≈ −3), so their absolute slack is a couple of float32 ulps of |x|.
 */
function expectClose(actual: Tensor, want: Fx, input: Fx, what: string): void {
  expect(actual.dtype, what).toBe(want.dtype);
  expect(actual.shape, what).toEqual(want.shape);
  const a = actual.data();
  const w = nums(want.data);
  const xs = nums(input.data);
  w.forEach((v, i) => {
    const got = a[i]!;
    const scale = Math.max(1, Math.abs(xs[i]!));
    const [rtol, atol] = want.dtype === "float64" ? [1e-12, 1e-14] : [2e-6, 1.2e-7 * scale];
    const ok = got === v || Math.abs(got - v) <= atol + rtol * Math.abs(v);
    if (!ok) throw new Error(`${what}: element ${i}: got ${got}, torch ${v}`);
  });
}

describe("activations match torch (values and gradients, kinks and large inputs included)", () => {
  for (const c of cases) {
    it(`${c.name} ${JSON.stringify(c.opts)} ${c.input.dtype}`, () => {
      const x = mk(c.input, true);
      const y = apply(x, c.name, c.opts);
      expectClose(y, c.output, c.input, `${c.name} output`);
      y.backward(mk(c.upstream));
      expectClose(x.grad!, c.grad, c.input, `${c.name} grad`);
    });
  }
});

describe("activations: positional options, gradcheck and errors", () => {
  const gen = new Generator(7);
  // Away from every kink (|x| not near 0, 3, 6, the softplus threshold).
  const x = () => tensor([-4.2, -2.5, -1.1, -0.4, 0.3, 0.9, 1.7, 2.6, 4.1, 5.2, 7.3], { dtype: "float64", requiresGrad: true });

  it("positional forms equal the options forms", () => {
    const v = randn([5], { generator: gen }).mul(4);
    expect(v.leakyRelu(0.2).data()).toEqual(v.leakyRelu({ negativeSlope: 0.2 }).data());
    expect(v.elu(0.5).data()).toEqual(v.elu({ alpha: 0.5 }).data());
    expect(v.gelu("tanh").data()).toEqual(v.gelu({ approximate: "tanh" }).data());
    expect(v.softplus(2, 3).data()).toEqual(v.softplus({ beta: 2, threshold: 3 }).data());
    expect(v.hardtanh(-2, 0.5).data()).toEqual(v.hardtanh({ minVal: -2, maxVal: 0.5 }).data());
    expect(v.leakyRelu().data()).toEqual(v.leakyRelu(0.01).data());
  });

  const fns: [string, (t: Tensor) => Tensor][] = [
    ["leakyRelu", (t) => t.leakyRelu(0.3)], ["elu", (t) => t.elu(1.3)], ["selu", (t) => t.selu()],
    ["gelu", (t) => t.gelu()], ["gelu tanh", (t) => t.gelu("tanh")], ["silu", (t) => t.silu()], ["mish", (t) => t.mish()],
    ["softplus", (t) => t.softplus(1.5, 4)], ["softsign", (t) => t.softsign()], ["hardtanh", (t) => t.hardtanh(-2, 2)],
    ["relu6", (t) => t.relu6()], ["hardsigmoid", (t) => t.hardsigmoid()], ["hardswish", (t) => t.hardswish()],
    ["logSigmoid", (t) => t.logSigmoid()], ["tanhshrink", (t) => t.tanhshrink()],
  ];
  for (const [name, f] of fns) {
    it(`gradcheck ${name} (direct and composed)`, () => {
      expect(gradcheck(f, [x()])).toBe(true);
      expect(gradcheck((t) => f(t.mul(t)).sum(), [x()])).toBe(true);
    });
  }

  it("large inputs give finite values and gradients (no overflow through the unused branch)", () => {
    const big = tensor([-1000, -100, 100, 1000], { requiresGrad: true });
    const y = big.elu().add(big.softplus()).add(big.mish()).add(big.silu()).add(big.logSigmoid()).add(big.gelu());
    y.sum().backward();
    expect(y.data().every(Number.isFinite)).toBe(true);
    expect(big.grad!.data().every(Number.isFinite)).toBe(true);
  });

  it("errors name the op and argument", () => {
    const i = tensor([1, 2], { dtype: "int32" });
    expect(() => i.gelu()).toThrow("gelu: input must be a floating point tensor, got int32 (shape [2])");
    expect(() => i.softsign()).toThrow(/softsign: input must be a floating point tensor/);
    expect(() => tensor([1]).gelu("erf" as "tanh")).toThrow(/gelu: approximate must be "none" or "tanh", got "erf"/);
    expect(() => tensor([1]).hardtanh(2, 1)).toThrow("hardtanh: minVal (2) cannot be greater than maxVal (1)");
    expect(() => tensor([1]).leakyRelu(Number.NaN)).toThrow(/leakyRelu: negativeSlope must be a number/);
  });
});

describe("activations on views and 0-d tensors", () => {
  it("a transposed or narrowed input gives the values of its contiguous copy", () => {
    const x = randn([3, 4], { generator: new Generator(3) }).mul(3);
    for (const f of [(t: Tensor) => t.gelu(), (t: Tensor) => t.hardswish(), (t: Tensor) => t.softplus(2, 1), (t: Tensor) => t.elu(0.7)]) {
      expect(f(x.t()).toArray()).toEqual(f(x.t().contiguous()).toArray());
      expect(f(x.narrow(1, 1, 2)).toArray()).toEqual(f(x.narrow(1, 1, 2).contiguous()).toArray());
    }
    expect(tensor(-2).leakyRelu(0.5).item()).toBe(-1);
    expect(tensor(7).relu6().item()).toBe(6);
  });
});
