import { describe, expect, it } from "vitest";
import { defineOp, Generator, gradcheck, NDArray, rand, randn, stack, cat, tensor, where, type Tensor } from "../src/index.js";

const gen = new Generator(1234);
/** A float64 leaf of normals (requiresGrad unless told). */
const N = (shape: number[], requiresGrad = true): Tensor => randn(shape, { generator: gen, dtype: "float64", requiresGrad });
/** A float64 leaf of values in [lo, hi). */
const U = (shape: number[], lo: number, hi: number, requiresGrad = true): Tensor =>
  rand(shape, { generator: gen, dtype: "float64" }).mul(hi - lo).add(lo).detach().requiresGrad_(requiresGrad);
const I = (data: number[] | number[][], shape?: number[]): Tensor => tensor(data, shape ? { dtype: "int32", shape } : { dtype: "int32" });
const ok = (fn: (...xs: Tensor[]) => Tensor | readonly Tensor[], ...xs: Tensor[]) => expect(gradcheck(fn, xs)).toBe(true);

describe("gradcheck itself", () => {
  it("accepts a correct gradient and returns true", () => {
    ok((a, b) => a.mul(b).add(a.exp()), N([3]), N([3]));
  });

  it("bumps an input's version with each perturbation, so a cache keyed on versions sees it", () => {
    // exp(x) memoized per (storage, version), as a backend keeps packed weights.
    let cached: { version: number; y: Tensor } | null = null;
    const x = N([3]);
    const memoExp = (a: Tensor): Tensor => {
      if (cached?.version !== a.version) cached = { version: a.version, y: a.exp() };
      return cached.y;
    };
    ok(memoExp, x);
  });

  it("throws naming the input index, the element and both values for a wrong backward", () => {
    const badSquare = defineOp<void>({
      name: "badSquare",
      forward: ([x]) => x!.copy().reshape(x!.shape).copy(),
      backward: ({ inputs: [x] }, g) => [g.mul(x!)],
    });
    const sq = (x: Tensor) => badSquare([x.mul(x)], undefined);
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(() => gradcheck((a) => sq(a), [x])).toThrow(
      /Jacobian mismatch for output 0 with respect to input 0, at input element \[1\] \(shape \[3\]\) and output element \[1\] \(shape \[3\]\): numerical 4\.0000\d+, analytical 16 /,
    );
    const y = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => gradcheck((b, a) => b.add(sq(a)), [y, x.detach().requiresGrad_()])).toThrow(/with respect to input 1, at input element \[1\]/);
    expect(gradcheck((a) => sq(a), [x], { raiseException: false })).toBe(false);
  });

  it("catches an op that downcasts to float32 in forward or backward", () => {
    const downFwd = defineOp<void>({ name: "downFwd", forward: ([x]) => x!.copy("float32"), backward: (_c, g) => [g] });
    expect(() => gradcheck((x) => downFwd([x], undefined), [N([2])])).toThrow(/output 0 is float32 though the float inputs are float64/);
    const downBwd = defineOp<void>({ name: "downBwd", forward: ([x]) => x!.copy(), backward: (_c, g) => [g.float()] });
    expect(() => gradcheck((x) => downBwd([x], undefined), [N([2])])).toThrow(/gradient reaching input 0 is float32, not float64/);
  });

  it("casts float32 inputs to float64 and leaves the caller's tensors untouched", () => {
    const x = randn([4], { generator: gen, requiresGrad: true });
    const before = Array.from(x.data());
    ok((a) => a.tanh().mul(3), x);
    expect(x.dtype).toBe("float32");
    expect(Array.from(x.data())).toEqual(before);
    expect(x.grad).toBeNull();
  });

  it("needs an input that requires grad; skips int and non-grad inputs", () => {
    expect(() => gradcheck((a) => a.exp(), [N([2], false)])).toThrow(/at least one input tensor to require gradient/);
    ok((a, i) => a.gather(0, i), N([4]), I([3, 0, 0]));
  });

  it("takes a single input tensor without an array", () => {
    expect(gradcheck((a) => a.sin().sum(), N([3]))).toBe(true);
  });

  it("handles several outputs and skips int32 ones", () => {
    ok((a, b) => [a.mul(b), a.sub(b).sum()], N([2, 2]), N([2]));
    ok((a) => [a.argmax(), a.exp()], N([4]));
    expect(() => gradcheck((a) => [a.argmax(), a.mul(a).add(defineOp<void>({ name: "zeroGrad", forward: ([t]) => t!.copy(), backward: (_c, g) => [g.mul(0)] })([a], undefined))], [N([3])])).toThrow(
      /Jacobian mismatch for output 1 with respect to input 0/,
    );
  });
});

describe("gradcheck: elementwise binary ops with broadcasting", () => {
  const shapes: [number[], number[]][] = [[[3], [3]], [[2, 3], [3]], [[3, 1], [1, 4]], [[2, 1, 3], [4, 1]], [[], [2, 2]], [[2, 2], []]];
  for (const [sa, sb] of shapes) {
    it(`add/sub/mul/div/maximum/minimum ${JSON.stringify(sa)} ⊕ ${JSON.stringify(sb)}`, () => {
      ok((a, b) => a.add(b), N(sa), N(sb));
      ok((a, b) => a.add(b, { alpha: -2.5 }), N(sa), N(sb));
      ok((a, b) => a.sub(b), N(sa), N(sb));
      ok((a, b) => a.sub(b, { alpha: 0.5 }), N(sa), N(sb));
      ok((a, b) => a.mul(b), N(sa), N(sb));
      ok((a, b) => a.div(b), N(sa), U(sb, 0.5, 2));
      ok((a, b) => a.maximum(b), N(sa), N(sb));
      ok((a, b) => a.minimum(b), N(sa), N(sb));
      ok((a, b) => a.pow(b), U(sa, 0.5, 2), N(sb));
    });
  }
  it("one side without requiresGrad, scalars and rsub", () => {
    ok((a, b) => a.mul(b), N([2, 3]), N([3], false));
    ok((a, b) => a.div(b), N([2], false), U([3, 1], 1, 2));
    ok((a) => a.add(2).mul(-3).sub(1.5).div(4), N([2, 2]));
    ok((a) => a.rsub(1), N([3]));
    ok((a, b) => a.rsub(b), N([3]), N([2, 3]));
  });
  it("pow with scalar exponents (incl. 0, 1, 2, 0.5, negative)", () => {
    for (const p of [0, 1, 2, 3, 0.5, -1, -2.5, 1.7]) ok((a) => a.pow(p), U([2, 3], 0.3, 2));
    ok((a) => a.pow(3), N([4]));
  });
  it("pow where the base is 0 and the exponent is non-negative has a zero exponent gradient", () => {
    ok((b) => tensor([0, 0, 2], { dtype: "float64" }).pow(b), U([3], 1.5, 2.5));
  });
});

describe("gradcheck: unary ops", () => {
  const anywhere = ["neg", "exp", "expm1", "square", "tanh", "sigmoid", "sin", "cos", "erf", "abs", "relu"] as const;
  for (const op of anywhere) it(op, () => ok((a) => a[op](), N([2, 3])));
  const positive = ["log", "log1p", "sqrt", "rsqrt", "reciprocal"] as const;
  for (const op of positive) it(op, () => ok((a) => a[op](), U([2, 3], 0.2, 3)));
  it("sign/floor/ceil/round have zero gradient away from jumps", () => {
    for (const op of ["sign", "floor", "ceil", "round"] as const) ok((a) => a[op]().add(a), U([5], 0.1, 0.4).add(tensor([0, 1, 2, -3, -1], { dtype: "float64" })).detach().requiresGrad_());
  });
  it("sigmoid/tanh/exp on large magnitudes stay finite", () => {
    ok((a) => a.sigmoid().add(a.tanh()), tensor([-30, -5, 5, 30], { dtype: "float64", requiresGrad: true }));
  });
  it("clamp with min, max and both", () => {
    const x = tensor([-2.1, -0.7, 0.2, 0.9, 1.6], { dtype: "float64", requiresGrad: true });
    ok((a) => a.clamp(-1, 1), x);
    ok((a) => a.clamp(0), x);
    ok((a) => a.clamp(undefined, 0.5), x);
  });
  it("where, maskedFill, clone, to(float64)", () => {
    const c = I([[1, 0, 1], [0, 0, 1]]);
    ok((a, b) => where(c, a, b), N([2, 3]), N([3]));
    ok((a) => where(c, a, 0), N([2, 1]));
    ok((a) => a.maskedFill(I([1, 0, 1]), -5), N([2, 3]));
    ok((a) => a.clone().mul(2), N([3]));
    ok((a) => a.to("float64").mul(a), N([3]));
  });
});

describe("gradcheck: reductions", () => {
  it("sum and mean over all, one, several and negative dims, keepdim or not", () => {
    for (const keep of [false, true]) {
      ok((a) => a.sum(), N([2, 3, 4]));
      ok((a) => a.sum(1, keep), N([2, 3, 4]));
      ok((a) => a.sum([0, 2], keep), N([2, 3, 4]));
      ok((a) => a.sum(-1, keep), N([2, 3]));
      ok((a) => a.mean(), N([2, 3]));
      ok((a) => a.mean([1, -1], keep), N([2, 3, 2]));
    }
    ok((a) => a.sum(), N([]));
  });
  it("var and std with corrections", () => {
    ok((a) => a.var(), N([5]));
    ok((a) => a.var(1, { keepdim: true, correction: 0 }), N([2, 4]));
    ok((a) => a.std(0), N([4, 3]));
    ok((a) => a.std(undefined, { correction: 0 }), N([2, 3]));
  });
  it("prod over all and along a dim (with a zero entry)", () => {
    ok((a) => a.prod(), U([2, 3], 0.5, 1.5));
    ok((a) => a.prod(1), U([2, 3], 0.5, 1.5));
    ok((a) => a.prod(0, true), tensor([[0, 2], [3, -1], [1.5, 2]], { dtype: "float64", requiresGrad: true }));
  });
  it("max/min/amax/amin over all and along dims", () => {
    ok((a) => a.max(), N([3, 4]));
    ok((a) => a.min(), N([3, 4]));
    ok((a) => a.max(1)[0], N([3, 4]));
    ok((a) => a.min(0, true)[0], N([3, 4]));
    ok((a) => a.amax([0, 1]), N([2, 3, 2]));
    ok((a) => a.amin(-1, true), N([2, 3]));
  });
  it("max ties split the gradient evenly, as torch", () => {
    const x = tensor([1, 3, 3, 2], { requiresGrad: true });
    x.max().backward();
    expect(x.grad!.toArray()).toEqual([0, 0.5, 0.5, 0]);
  });
  it("logsumexp, softmax and logSoftmax along every dim", () => {
    for (const d of [0, 1, -1]) {
      ok((a) => a.logsumexp(d), N([3, 4]));
      ok((a) => a.softmax(d), N([3, 4]));
      ok((a) => a.logSoftmax(d), N([3, 4]));
    }
    ok((a) => a.logsumexp([0, 1], true), N([2, 3]));
    ok((a) => a.softmax(0), N([]));
  });
  it("norm for p = 2, 1, 3, Infinity over all and along dims", () => {
    ok((a) => a.norm(), N([3, 2]));
    ok((a) => a.norm(2, 1), N([3, 2]));
    ok((a) => a.norm(1, 0, true), N([3, 2]));
    ok((a) => a.norm(3), N([4]));
    ok((a) => a.norm(Infinity, 1), N([2, 3]));
  });
});

describe("gradcheck: linear algebra", () => {
  it("matmul in every rank combination, batch broadcasting", () => {
    ok((a, b) => a.matmul(b), N([3]), N([3]));
    ok((a, b) => a.matmul(b), N([2, 3]), N([3, 4]));
    ok((a, b) => a.matmul(b), N([3]), N([3, 2]));
    ok((a, b) => a.matmul(b), N([2, 3]), N([3]));
    ok((a, b) => a.matmul(b), N([2, 2, 3]), N([3, 2]));
    ok((a, b) => a.matmul(b), N([3]), N([2, 3, 2]));
    ok((a, b) => a.matmul(b), N([2, 1, 2, 3]), N([3, 3, 2]));
  });
  it("mm, bmm, t and matmul of transposed (non-contiguous) views", () => {
    ok((a, b) => a.mm(b), N([2, 3]), N([3, 2]));
    ok((a, b) => a.bmm(b), N([2, 2, 3]), N([2, 3, 1]));
    ok((a, b) => a.t().mm(b.t()), N([3, 2]), N([4, 3]));
    ok((a, b) => a.transpose(0, 2).matmul(b.permute(2, 0, 1)), N([3, 2, 2]), N([3, 1, 2]));
  });
});

describe("gradcheck: shape ops and views", () => {
  it("reshape, view, flatten, squeeze, unsqueeze", () => {
    ok((a) => a.reshape(3, -1).mul(tensor([1, 2, 3], { dtype: "float64" }).reshape(3, 1)), N([2, 3]));
    ok((a) => a.view(6).mul(tensor([1, 2, 3, 4, 5, 6], { dtype: "float64" })), N([2, 3]));
    ok((a) => a.flatten(1).exp(), N([2, 3, 2]));
    ok((a) => a.squeeze().unsqueeze(0).unsqueeze(-1).exp(), N([1, 3, 1]));
    ok((a) => a.squeeze(1).exp(), N([2, 1, 3]));
  });
  it("transpose, permute, contiguous, viewAs after contiguous", () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]], { dtype: "float64" });
    ok((a) => a.transpose(0, 1).mul(w), N([2, 3]));
    ok((a) => a.permute(2, 0, 1).contiguous().view(-1).mul(a.reshape(-1)), N([2, 3, 2]));
    ok((a) => a.t().contiguous().viewAs(w).mul(w), N([2, 3]));
  });
  it("expand and expandAs (gradient sums back over broadcast dims)", () => {
    const w = N([2, 3, 4], false);
    ok((a) => a.expand(2, 3, 4).mul(w), N([3, 1]));
    ok((a) => a.expand(-1, 3).exp(), N([2, 1]));
    ok((a) => a.expandAs(N([4, 2], false)).sin(), N([2]));
  });
  it("narrow, select, slice with steps and negative indices, on views", () => {
    ok((a) => a.narrow(1, 1, 2).exp(), N([2, 4]));
    ok((a) => a.narrow(0, -2, 2).exp(), N([3, 2]));
    ok((a) => a.select(1, -1).exp(), N([2, 3]));
    ok((a) => a.slice(1, 0, undefined, 2).exp(), N([2, 5]));
    ok((a) => a.slice(0, -3, -1).exp(), N([4, 2]));
    ok((a) => a.transpose(0, 1).narrow(0, 1, 2).select(1, 0).exp(), N([3, 3]));
  });
  it("chunk, split, unbind (all pieces used)", () => {
    ok((a) => a.chunk(3, 1).map((p, i) => p.mul(i + 1).sum()).reduce((s, t) => s.add(t)), N([2, 5]));
    ok((a) => { const [p, q] = a.split([1, 3], 0); return p!.sum().mul(q!.exp().sum()); }, N([4, 2]));
    ok((a) => stack(a.unbind(1).reverse(), 0), N([2, 3]));
  });
  it("flip and repeat", () => {
    const w = N([2, 3], false);
    ok((a) => a.flip([0, -1]).mul(w), N([2, 3]));
    ok((a) => a.repeat(2, 1, 3).exp(), N([2, 2]));
    ok((a) => a.repeat(3).sin(), N([2]));
  });
  it("cat and stack on any dim", () => {
    ok((a, b) => cat([a, b], 1).exp(), N([2, 1]), N([2, 3]));
    ok((a, b) => cat([a, b, a], 0).sin(), N([1, 2]), N([2, 2]));
    ok((a, b) => stack([a, b], -1).exp(), N([2, 3]), N([2, 3]));
  });
});

describe("gradcheck: indexing", () => {
  it("indexSelect with repeated indices, along every dim", () => {
    ok((a) => a.indexSelect(0, I([2, 0, 2])).exp(), N([3, 2]));
    ok((a) => a.indexSelect(1, I([1, 1])).exp(), N([3, 2]));
    ok((a) => a.indexSelect(0, I([2, 0])).exp(), N([3]));
  });
  it("gather and scatterAdd", () => {
    ok((a) => a.gather(1, I([[0, 0, 2], [1, 2, 1]])).exp(), N([2, 3]));
    ok((a) => a.gather(0, I([[1, 0]])).exp(), N([2, 2]));
    ok((a, s) => a.scatterAdd(1, I([[0, 0], [2, 1]]), s).exp(), N([2, 3]), N([2, 2]));
    ok((a, s) => a.scatterAdd(0, I([[1, 0]]), s).sin(), N([2, 2]), N([2, 3]));
  });
  it("indexAdd", () => {
    ok((a, s) => a.indexAdd(0, I([1, 1, 0]), s).exp(), N([2, 3]), N([3, 3]));
    ok((a, s) => a.indexAdd(1, I([2]), s).sin(), N([2, 3]), N([2, 1]));
  });
});

describe("gradcheck: composites and second use of inputs", () => {
  it("an input used along several paths", () => {
    ok((a, b) => a.mul(a).add(a.matmul(b).sum()).tanh(), N([2, 2]), N([2, 2]));
  });
  it("a float32 leaf mixed with float64 (promotion keeps float64)", () => {
    ok((a) => a.mul(NDArray.from([1, 2]).size).add(a.exp()), N([2]));
  });
});

describe("float64 stays float64 through every op", () => {
  it("forward results keep float64", () => {
    const a = N([2, 3], false);
    const outs: Tensor[] = [
      a.norm(0), a.norm(), a.norm(1, 1), a.norm(Infinity), a.max(), a.amax(0), a.max(1)[0], a.softmax(0), a.logSoftmax(1),
      a.logsumexp(1), a.var(), a.std(1), a.prod(), a.mean(), a.sum(0), a.clamp(-0.5, 0.5), a.maximum(0), a.minimum(a.t().t()),
      where(I([1, 0, 1]), a, 0), a.maskedFill(I([0, 1, 0]), 2), a.gather(1, I([[0], [2]])), a.indexSelect(1, I([2])),
      a.matmul(a.t()), a.pow(2), a.abs().pow(a), a.div(3), a.rsub(1), a.relu(), a.erf(), a.sigmoid(), a.leakyRelu(), a.gelu(),
      a.gelu("tanh"), a.elu(), a.selu(), a.silu(), a.mish(), a.softplus(), a.softsign(), a.hardtanh(), a.relu6(), a.hardsigmoid(),
      a.hardswish(), a.logSigmoid(), a.tanhshrink(), cat([a, a], 1), stack([a, a]), a.repeat(2, 1), a.flip(0), a.slice(1, 0, 3, 2),
    ];
    outs.forEach((o, i) => expect(o.dtype, `output ${i}`).toBe("float64"));
  });
});
