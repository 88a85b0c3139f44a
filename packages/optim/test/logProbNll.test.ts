// nllLoss after logSoftmax (and crossEntropy, built the same way) sends its gradient straight to
// the logits (logProbNll). It must give exactly what the composite it replaces gives:
// x.logSoftmax(1).gather(1, y).reshape([-1]).mul(w).neg(), with log-softmax's own backward.
import { gradcheck, manualSeed, noGrad, randn, tensor, type Tensor } from "@rnnkit/autograd";
import { jsBackend, setBackend, wasmBackend } from "@rnnkit/tensor";
import { describe, expect, it } from "vitest";
import { classTargets, type ClassTargets } from "../src/losses/classIndex.js";
import { logProbNll } from "../src/losses/logProbNll.js";
import { crossEntropy, nllLoss } from "../src/index.js";
import { expectClose, loadFixture, toTensor, type FixtureTensor } from "./fixture.js";

function composite(logp: Tensor, t: ClassTargets): Tensor {
  return logp.gather(1, t.index).reshape([-1]).mul(t.weight).neg();
}

/** Values and logits' gradient of `f(x.logSoftmax(1))` weighted by `g`. */
function run(x0: Tensor, targets: Tensor, w: Tensor | null, g: Tensor, f: typeof composite): { out: number[]; grad: number[] } {
  const x = x0.detach().requiresGrad_();
  const t = classTargets("test", x, targets, w, -100);
  const out = f(x.logSoftmax(1), t);
  out.backward(g);
  return { out: Array.from(out.data()), grad: Array.from(x.grad!.data()) };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

const backends = [["js", jsBackend], ["wasm", wasmBackend() ?? jsBackend]] as const;

describe.each(backends)("logProbNll on the %s backend = gather, weight, neg after logSoftmax", (_name, be) => {
  const weight = tensor([0.5, 1, 2, 0.7, 1.5]);
  for (const w of [null, weight]) {
    it(`bit for bit, float32, (7, 5), ${w ? "class weights" : "no weights"}, an ignored target`, () => {
      const prev = setBackend(be);
      try {
        manualSeed(4);
        const target = tensor([2, 0, 4, 4, 1, -100, 3], { dtype: "int32" });
        const x0 = randn([7, 5]).mul(3);
        const g = randn([7]);
        const fused = run(x0, target, w, g, logProbNll);
        const ref = run(x0, target, w, g, composite);
        expect(fused.out).toEqual(ref.out);
        expect(fused.grad).toEqual(ref.grad);
        const t = classTargets("test", x0, target, w, -100);
        expect(Array.from(noGrad(() => logProbNll(x0.logSoftmax(1), t)).data())).toEqual(fused.out);
      } finally {
        setBackend(prev);
      }
    });
  }

  it("bit for bit on (40, 3001) rows (the wasm kernels' size), ignored and repeated targets", () => {
    const prev = setBackend(be);
    try {
      manualSeed(7);
      const x0 = randn([40, 3001]).mul(4);
      const y = Array.from({ length: 40 }, (_, i) => (i % 9 === 4 ? -100 : (i * 977) % 3001));
      y[1] = y[0]!;
      const target = tensor(y, { dtype: "int32" });
      const g = randn([40]);
      const fused = run(x0, target, null, g, logProbNll);
      const ref = run(x0, target, null, g, composite);
      expect(fused.out).toEqual(ref.out);
      expect(fused.grad).toEqual(ref.grad);
    } finally {
      setBackend(prev);
    }
  });
});

describe("logProbNll in the graph", () => {
  const target = tensor([2, 0, 4, 4, 1, -100, 3], { dtype: "int32" });
  const weight = tensor([0.5, 1, 2, 0.7, 1.5]);

  it("skips the gather and log-softmax nodes: its one node feeds the logits", () => {
    const x = randn([7, 5]).requiresGrad_();
    const h = x.mul(2);
    const out = logProbNll(h.logSoftmax(1), classTargets("test", x, target, null, -100));
    expect(out.gradFn!.name).toBe("nllLoss");
    expect(out.gradFn!.nextFns).toEqual([h.gradFn]);
  });

  it("passes float64 finite differences", () => {
    manualSeed(5);
    const x = randn([7, 5]).to("float64").requiresGrad_();
    const t = classTargets("test", x, target, weight, -100);
    expect(gradcheck((a) => logProbNll(a.logSoftmax(1), t), [x])).toBe(true);
  });

  it("second derivatives (createGraph) match the composite's", () => {
    manualSeed(6);
    const x0 = randn([7, 5]).to("float64");
    const v = randn([7, 5]).to("float64");
    const second = (f: typeof composite) => {
      const x = x0.detach().requiresGrad_();
      const t = classTargets("test", x, target, weight, -100);
      f(x.logSoftmax(1), t).sum().backward(undefined, { createGraph: true });
      const gx = x.grad!;
      x.grad = null;
      gx.mul(v).sum().backward();
      return Array.from(x.grad!.data());
    };
    close(second(logProbNll), second(composite), 1e-12);
  });

  it("log-probabilities used twice, retained, or over dim 0 get the composite's gradients", () => {
    manualSeed(8);
    const x0 = randn([7, 5]);
    const g = randn([7]);
    const both = (f: typeof composite) => {
      const x = x0.detach().requiresGrad_();
      const t = classTargets("test", x, target, weight, -100);
      const logp = x.logSoftmax(1);
      logp.retainGrad();
      f(logp, t).mul(g).sum().add(logp.square().sum()).backward();
      return { x: Array.from(x.grad!.data()), logp: Array.from(logp.grad!.data()) };
    };
    const a = both(logProbNll);
    const b = both(composite);
    close(a.x, b.x, 1e-6);
    expect(a.logp).toEqual(b.logp);
    const dim0 = (f: typeof composite) => {
      const x = x0.detach().requiresGrad_();
      const t = classTargets("test", x, target, weight, -100);
      f(x.logSoftmax(0), t).backward(g);
      return Array.from(x.grad!.data());
    };
    expect(dim0(logProbNll)).toEqual(dim0(composite));
  });

  it("raises torch's in-place error when the log-probabilities change before backward", () => {
    const x = randn([7, 5]).requiresGrad_();
    const logp = x.logSoftmax(1);
    const loss = logProbNll(logp, classTargets("test", x, target, null, -100)).sum();
    noGrad(() => logp.mul_(2));
    expect(() => loss.backward()).toThrow(/modified by an inplace operation/);
  });

  it("nllLoss(logSoftmax(x)) and crossEntropy(x) agree in value and gradient, every reduction", () => {
    manualSeed(9);
    const x0 = randn([7, 5]).mul(2);
    for (const reduction of ["mean", "sum", "none"] as const) {
      const [viaNll, viaCe] = [true, false].map((nll) => {
        const x = x0.detach().requiresGrad_();
        const opts = { weight, reduction, ignoreIndex: -100 };
        const loss = nll ? nllLoss(x.logSoftmax(1), target, opts) : crossEntropy(x, target, opts);
        (reduction === "none" ? loss.sum() : loss).backward();
        return { v: Array.from(loss.data()), g: Array.from(x.grad!.data()) };
      });
      expect(viaNll!.v).toEqual(viaCe!.v);
      expect(viaNll!.g).toEqual(viaCe!.g);
    }
  });
});

interface LossFixture {
  input: FixtureTensor;
  target: FixtureTensor;
  weight: FixtureTensor;
  cases: {
    name: string;
    form: "nllLoss(logSoftmax)" | "crossEntropy";
    reduction: "mean" | "sum" | "none";
    weight: boolean;
    labelSmoothing: number;
    output: FixtureTensor;
    gradOutput: FixtureTensor;
    grad: FixtureTensor;
  }[];
}

describe.each(backends)("the one-pass loss against PyTorch (10 × 300 logits) on the %s backend", (_name, be) => {
  const fx = loadFixture<LossFixture>("log_softmax_nll");
  for (const c of fx.cases) {
    it(c.name, () => {
      const prev = setBackend(be);
      try {
        const x = toTensor(fx.input, true);
        const target = toTensor(fx.target);
        const opts = { reduction: c.reduction, ...(c.weight ? { weight: toTensor(fx.weight) } : {}) };
        const out = c.form === "crossEntropy"
          ? crossEntropy(x, target, { ...opts, labelSmoothing: c.labelSmoothing })
          : nllLoss(x.logSoftmax(1), target, opts);
        out.backward(toTensor(c.gradOutput));
        expectClose(out, c.output, `${c.name} value`);
        expectClose(x.grad!, c.grad, `${c.name} grad`);
      } finally {
        setBackend(prev);
      }
    });
  }
});
