import { manualSeed, noGrad, rand, type Tensor, zeros } from "@rnnkit/autograd";
import {
  Bilinear, Dropout, Embedding, F, init, Linear, LogSoftmax, type Module, Sequential, Tanh,
} from "@rnnkit/nn";
import { describe, expect, it } from "vitest";
import { expectClose, ft, type FT, nnLayersFixture } from "./nnLayersFixture.js";

type InitFn = "uniform_" | "normal_" | "truncNormal_" | "sparse_" | "dirac_" | "constant_" | "zeros_" | "ones_" | "eye_" | "xavierUniform_" | "xavierNormal_"
  | "kaimingUniform_" | "kaimingNormal_" | "orthogonal_";

interface Fixture {
  defaultInit: ({ seed: number } & (
    | { kind: "linear"; in: number; out: number; bias: boolean; weight: FT; biasValue?: FT }
    | { kind: "bilinear"; in1: number; in2: number; out: number; bias: boolean; weight: FT; biasValue?: FT }
    | { kind: "embedding"; num: number; dim: number; paddingIdx: number | null; weight: FT }
    | { kind: "sequence"; params: FT[] }
    | { kind: "reseed"; weight: FT }))[];
  init: { fn: InitFn; shape: number[]; seed: number; opts: Record<string, number | string>; value: FT }[];
  gains: { nonlinearity: init.Nonlinearity; param: number | null; gain: number }[];
  linear: { in: number; out: number; bias: boolean; weight: FT; biasValue?: FT; input: FT; output: FT; gradOutput: FT; gradInput: FT; gradWeight: FT; gradBias?: FT }[];
  embedding: {
    opts: { paddingIdx: number | null; maxNorm: number | null; normType: number | "Infinity" | null; scaleGradByFreq: boolean | null };
    pretrained: null | "frozen" | "trainable"; weightBefore: FT; indices: FT; output: FT; weightAfter: FT; gradOutput: FT; gradWeight: FT | null;
  }[];
  dropout: { seed: number; p: number; input: FT; output: FT; gradOutput: FT; gradInput: FT; nextRand: FT }[];
  activations: { fn: string; opts: Record<string, number | string | number[]>; input: FT; output: FT; gradOutput: FT; gradInput: FT }[];
  oneHot: { indices: FT; numClasses: number; output: FT }[];
  model: { seed: number; indices: FT; target: FT; output: FT; loss: number; names: string[]; params: FT[]; grads: FT[] }[];
  bilinear: { x1: FT; x2: FT; weight: FT; bias?: FT; output: FT; gradOutput: FT; gradX1: FT; gradX2: FT; gradWeight: FT; gradBias?: FT }[];
}

const fx = nnLayersFixture<Fixture>();
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

describe("default initialization under manualSeed equals torch's", () => {
  it("Linear: weight and bias bit-for-bit", () => {
    for (const c of fx.defaultInit) {
      if (c.kind !== "linear") continue;
      manualSeed(c.seed);
      const m = new Linear(c.in, c.out, { bias: c.bias });
      const what = `Linear(${c.in}, ${c.out}) seed ${c.seed}`;
      expectClose(m.weight, c.weight, `${what} weight`, 0);
      if (c.biasValue) expectClose(m.bias, c.biasValue, `${what} bias`, 0);
      else expect(m.bias).toBeNull();
    }
  });
  it("Bilinear: weight and bias bit-for-bit", () => {
    let n = 0;
    for (const c of fx.defaultInit) {
      if (c.kind !== "bilinear") continue;
      manualSeed(c.seed);
      const m = new Bilinear(c.in1, c.in2, c.out, { bias: c.bias });
      expectClose(m.weight, c.weight, `Bilinear(${c.in1}, ${c.in2}, ${c.out}) seed ${c.seed} weight`, 0);
      if (c.biasValue) expectClose(m.bias, c.biasValue, `Bilinear seed ${c.seed} bias`, 0);
      else expect(m.bias).toBeNull();
      n++;
    }
    expect(n).toBe(6);
  });
  it("Embedding: N(0, 1) weight with the padding row zeroed", () => {
    for (const c of fx.defaultInit) {
      if (c.kind !== "embedding") continue;
      manualSeed(c.seed);
      const m = new Embedding(c.num, c.dim, { paddingIdx: opt(c.paddingIdx) });
      expectClose(m.weight, c.weight, `Embedding(${c.num}, ${c.dim}, pad ${c.paddingIdx}) seed ${c.seed}`, 1e-6, 1e-6);
    }
  });
  it("consecutive layers continue torch's stream, and reseeding forgets the cached normal", () => {
    for (const c of fx.defaultInit) {
      if (c.kind === "sequence") {
        manualSeed(c.seed);
        const mods: Module[] = [new Embedding(3, 3), new Linear(3, 4), new Embedding(1, 5), new Embedding(2, 2), new Linear(2, 2, { bias: false }), new Embedding(4, 5)];
        const params = mods.flatMap((m) => m.parameters());
        expect(params.length).toBe(c.params.length);
        params.forEach((p, i) => expectClose(p, c.params[i]!, `sequence seed ${c.seed} param ${i}`, 1e-6, 1e-6));
      } else if (c.kind === "reseed") {
        manualSeed(c.seed);
        new Embedding(3, 3);
        manualSeed(c.seed);
        expectClose(new Embedding(1, 1).weight, c.weight, "reseed", 1e-6);
      }
    }
  });
  it("a generator option gives the same numbers as the seeded global stream", () => {
    manualSeed(4);
    const a = new Linear(5, 3);
    const g = new (manualSeed(0).constructor as new (s: number) => import("@rnnkit/autograd").Generator)(4);
    const b = new Linear(5, 3, { generator: g });
    expect(b.weight.data()).toEqual(a.weight.data());
    expect(b.bias!.data()).toEqual(a.bias!.data());
  });
});

describe("init functions equal torch.nn.init", () => {
  const exact = new Set<InitFn>(["uniform_", "xavierUniform_", "kaimingUniform_", "constant_", "zeros_", "ones_", "eye_", "dirac_"]);
  for (const fn of [...new Set(fx.init.map((c) => c.fn))]) {
    it(fn, () => {
      for (const c of fx.init.filter((k) => k.fn === fn)) {
        manualSeed(c.seed);
        const t = zeros(c.shape).requiresGrad_();
        const o = c.opts;
        switch (c.fn) {
          case "uniform_": init.uniform_(t, o.a as number | undefined, o.b as number | undefined); break;
          case "normal_": init.normal_(t, { mean: o.mean as number | undefined, std: o.std as number | undefined }); break;
          case "truncNormal_": init.truncNormal_(t, { mean: o.mean as number | undefined, std: o.std as number | undefined, a: o.a as number | undefined, b: o.b as number | undefined }); break;
          case "constant_": init.constant_(t, o.val as number); break;
          case "sparse_": init.sparse_(t, o.sparsity as number, { std: o.std as number }); break;
          case "dirac_": init.dirac_(t, o.groups as number); break;
          case "zeros_": init.zeros_(t); break;
          case "ones_": init.ones_(t); break;
          case "eye_": init.eye_(t); break;
          case "xavierUniform_": init.xavierUniform_(t, { gain: o.gain as number | undefined }); break;
          case "xavierNormal_": init.xavierNormal_(t, { gain: o.gain as number | undefined }); break;
          case "kaimingUniform_":
          case "kaimingNormal_": {
            const ko = { a: o.a as number | undefined, mode: o.mode as init.FanMode | undefined, nonlinearity: o.nonlinearity as init.Nonlinearity | undefined };
            if (c.fn === "kaimingUniform_") init.kaimingUniform_(t, ko);
            else init.kaimingNormal_(t, ko);
            break;
          }
          case "orthogonal_": init.orthogonal_(t, { gain: o.gain as number | undefined }); break;
        }
        const what = `${fn}(${JSON.stringify(c.shape)}, ${JSON.stringify(o)}) seed ${c.seed}`;
        if (exact.has(fn)) expectClose(t, c.value, what, 0);
        else if (fn === "orthogonal_") expectClose(t, c.value, what, 2e-6, 1e-5);
        else expectClose(t, c.value, what, 1e-6, 1e-6);
        expect(t.requiresGrad && t.isLeaf && t.grad === null).toBe(true);
      }
    });
  }
  it("calculateGain", () => {
    for (const c of fx.gains) expect(init.calculateGain(c.nonlinearity, opt(c.param))).toBeCloseTo(c.gain, 14);
  });
});

describe("Linear forward and backward equal torch's", () => {
  it("1-D to 4-D and empty inputs, with and without bias", () => {
    for (const [k, c] of fx.linear.entries()) {
      const m = new Linear(c.in, c.out, { bias: c.bias });
      m.loadStateDict(c.biasValue ? { weight: ft(c.weight), bias: ft(c.biasValue) } : { weight: ft(c.weight) });
      const x = ft(c.input, true);
      const y = m.forward(x);
      const what = `linear case ${k} (in ${c.in}, out ${c.out}, bias ${c.bias}, input ${JSON.stringify(c.input.shape)})`;
      expectClose(y, c.output, `${what} output`, 1e-5, 1e-5);
      y.backward(ft(c.gradOutput));
      expectClose(x.grad, c.gradInput, `${what} grad input`, 1e-5, 1e-5);
      expectClose(m.weight.grad, c.gradWeight, `${what} grad weight`, 1e-5, 1e-5);
      if (c.gradBias) expectClose(m.bias!.grad, c.gradBias, `${what} grad bias`, 1e-5, 1e-5);
      const fy = F.linear(x.detach(), m.weight.detach(), m.bias?.detach() ?? null);
      expectClose(fy, c.output, `${what} F.linear`, 1e-5, 1e-5);
    }
  });
});

describe("Embedding forward, max-norm renormalization and gradients equal torch's", () => {
  it("every option and from_pretrained", () => {
    for (const [k, c] of fx.embedding.entries()) {
      const o = c.opts;
      const opts = {
        paddingIdx: opt(o.paddingIdx), maxNorm: opt(o.maxNorm),
        normType: o.normType === "Infinity" ? Infinity : opt(o.normType), scaleGradByFreq: opt(o.scaleGradByFreq),
      };
      let m: Embedding;
      if (c.pretrained === null) {
        m = new Embedding(10, 4, opts);
        m.loadStateDict({ weight: ft(c.weightBefore) });
      } else {
        m = Embedding.fromPretrained(ft(c.weightBefore), { ...opts, freeze: c.pretrained === "frozen" });
        expect(m.weight.requiresGrad).toBe(c.pretrained !== "frozen");
      }
      const what = `embedding case ${k} ${JSON.stringify(o)} pretrained ${c.pretrained} indices ${JSON.stringify(c.indices.shape)}`;
      const y = m.forward(ft(c.indices));
      expectClose(y, c.output, `${what} output`, 1e-6, 1e-6);
      expectClose(m.weight, c.weightAfter, `${what} weight after`, 1e-6, 1e-6);
      if (c.gradWeight) {
        y.backward(ft(c.gradOutput));
        expectClose(m.weight.grad, c.gradWeight, `${what} grad weight`, 1e-6, 1e-6);
      } else {
        expect(y.requiresGrad).toBe(false);
      }
    }
  });
  it("F.embedding matches the layer", () => {
    const c = fx.embedding.find((e) => e.opts.paddingIdx === 1 && e.pretrained === null)!;
    const w = ft(c.weightBefore, true);
    const y = F.embedding(ft(c.indices), w, { paddingIdx: 1 });
    expectClose(y, c.output, "F.embedding output", 1e-6);
    y.backward(ft(c.gradOutput));
    expectClose(w.grad, c.gradWeight!, "F.embedding grad", 1e-6);
  });
});

describe("dropout draws torch's Bernoulli stream", () => {
  it("F.dropout and Dropout: mask, scale, gradient and the stream after", () => {
    for (const [k, c] of fx.dropout.entries()) {
      const what = `dropout case ${k} p ${c.p} seed ${c.seed} shape ${JSON.stringify(c.input.shape)}`;
      for (const useModule of [false, true]) {
        const x = ft(c.input, true);
        manualSeed(c.seed);
        const y = useModule ? new Dropout(c.p).forward(x) : F.dropout(x, c.p, { training: true });
        expectClose(y, c.output, `${what} output`, 0);
        expectClose(rand([3]), c.nextRand, `${what} next rand`, 0);
        y.backward(ft(c.gradOutput));
        expectClose(x.grad, c.gradInput, `${what} grad input`, 1e-6, 1e-6);
      }
    }
  });
});

function applyActivation(fn: string, x: Tensor, o: Record<string, number | string | number[]>): Tensor {
  const n = (k: string): number | undefined => o[k] as number | undefined;
  switch (fn) {
    case "relu": return F.relu(x);
    case "relu6": return F.relu6(x);
    case "tanh": return F.tanh(x);
    case "sigmoid": return F.sigmoid(x);
    case "leakyRelu": return F.leakyRelu(x, n("negativeSlope"));
    case "elu": return F.elu(x, n("alpha"));
    case "selu": return F.selu(x);
    case "celu": return F.celu(x, n("alpha"));
    case "gelu": return F.gelu(x, { approximate: o.approximate as F.GeluApproximate | undefined });
    case "silu": return F.silu(x);
    case "mish": return F.mish(x);
    case "softplus": return F.softplus(x, { beta: n("beta"), threshold: n("threshold") });
    case "softsign": return F.softsign(x);
    case "hardtanh": return F.hardtanh(x, n("minVal"), n("maxVal"));
    case "hardsigmoid": return F.hardsigmoid(x);
    case "hardswish": return F.hardswish(x);
    case "logsigmoid": return F.logsigmoid(x);
    case "tanhshrink": return F.tanhshrink(x);
    case "softshrink": return F.softshrink(x);
    case "hardshrink": return F.hardshrink(x);
    case "threshold": return F.threshold(x, n("threshold")!, n("value")!);
    case "softmax": return F.softmax(x, n("dim")!);
    case "logSoftmax": return F.logSoftmax(x, n("dim")!);
    case "softmin": return F.softmin(x, n("dim")!);
    case "normalize": return F.normalize(x, { p: n("p"), dim: n("dim") });
    case "pad": return F.pad(x, o.pad as number[], { value: n("value") });
    default: throw new Error(`no activation ${fn}`);
  }
}

describe("functional ops equal torch.nn.functional", () => {
  for (const fn of [...new Set(fx.activations.map((c) => c.fn))]) {
    it(`${fn}: values and input gradient`, () => {
      for (const c of fx.activations.filter((a) => a.fn === fn)) {
        const x = ft(c.input, true);
        const y = applyActivation(fn, x, c.opts);
        const what = `${fn}(${JSON.stringify(c.opts)})`;
        expectClose(y, c.output, `${what} output`, 1e-5, 1e-5);
        y.backward(ft(c.gradOutput));
        expectClose(x.grad, c.gradInput, `${what} grad`, 1e-5, 1e-5);
      }
    });
  }
  it("oneHot", () => {
    for (const c of fx.oneHot) {
      const y = F.oneHot(ft(c.indices), c.numClasses);
      expect(y.dtype).toBe("int32");
      expectClose(y, c.output, `oneHot ${c.numClasses}`, 0);
    }
  });
  it("bilinear (functional and Bilinear)", () => {
    for (const [k, c] of fx.bilinear.entries()) {
      const x1 = ft(c.x1, true);
      const x2 = ft(c.x2, true);
      const w = ft(c.weight, true);
      const b = c.bias ? ft(c.bias, true) : null;
      const y = F.bilinear(x1, x2, w, b);
      expectClose(y, c.output, `bilinear ${k} output`, 1e-5, 1e-5);
      y.backward(ft(c.gradOutput));
      expectClose(x1.grad, c.gradX1, `bilinear ${k} grad x1`, 1e-5, 1e-5);
      expectClose(x2.grad, c.gradX2, `bilinear ${k} grad x2`, 1e-5, 1e-5);
      expectClose(w.grad, c.gradWeight, `bilinear ${k} grad weight`, 1e-5, 1e-5);
      if (c.gradBias) expectClose(b!.grad, c.gradBias, `bilinear ${k} grad bias`, 1e-5, 1e-5);
      const m = new Bilinear(4, 2, 5, { bias: b !== null });
      noGrad(() => {
        m.weight.copy_(w);
        if (b) m.bias!.copy_(b);
      });
      expectClose(m.forward(x1.detach(), x2.detach()), c.output, `Bilinear ${k}`, 1e-5, 1e-5);
    }
  });
});

describe("a composed model equals torch's under one seed", () => {
  it("init order, the dropout stream in forward, output and every gradient", () => {
    for (const c of fx.model) {
      manualSeed(c.seed);
      const emb = new Embedding(7, 5, { paddingIdx: 0 });
      const seq = new Sequential(new Linear(5, 6), new Tanh(), new Dropout(0.3), new Linear(6, 4), new LogSoftmax(-1));
      const out = seq.forward(emb.forward(ft(c.indices)));
      const what = `model seed ${c.seed}`;
      expectClose(out, c.output, `${what} output`, 1e-5, 1e-5);
      const loss = out.reshape([6, 4]).gather(1, ft(c.target)).mean().neg();
      expect(loss.item()).toBeCloseTo(c.loss, 5);
      loss.backward();
      const params = [...emb.namedParameters(), ...seq.namedParameters("seq")];
      expect(params.map(([k]) => k)).toEqual(c.names);
      params.forEach(([k, p], i) => {
        expectClose(p, c.params[i]!, `${what} ${k}`, 1e-6, 1e-6);
        expectClose(p.grad, c.grads[i]!, `${what} grad ${k}`, 1e-5, 1e-5);
      });
    }
  });
});
