import { gradcheck, manualSeed, noGrad, randn, tensor, type Tensor } from "@rnnkit/autograd";
import { describe, expect, it } from "vitest";
import { classTargets } from "../src/losses/classIndex.js";
import { logSoftmaxNll } from "../src/losses/logSoftmaxNll.js";

// The fused primitive must give what the composite it replaces gives:
// x.logSoftmax(1).gather(1, y).reshape([-1]).mul(w).neg().

function composite(x: Tensor, t: ReturnType<typeof classTargets>): Tensor {
  return x.logSoftmax(1).gather(1, t.index).reshape([-1]).mul(t.weight).neg();
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

describe("logSoftmaxNll = log-softmax, gather, weight, neg", () => {
  const target = tensor([2, 0, 4, 4, 1, -100, 3], { dtype: "int32" });
  const weight = tensor([0.5, 1, 2, 0.7, 1.5]);
  for (const w of [null, weight]) {
    it(`values and gradients, float32, ${w ? "class weights" : "no weights"}, an ignored target`, () => {
      manualSeed(4);
      const x0 = randn([7, 5]).mul(3);
      const g = randn([7]);
      const run = (f: typeof composite) => {
        const x = x0.detach().requiresGrad_();
        const t = classTargets("test", x, target, w, -100);
        const out = f(x, t);
        out.backward(g);
        return { out: out.data(), grad: x.grad!.data() };
      };
      const fused = run(logSoftmaxNll);
      const ref = run(composite);
      close(fused.out, ref.out, 1e-6);
      close(fused.grad, ref.grad, 1e-6);
      const t = classTargets("test", x0, target, w, -100);
      expect(Array.from(noGrad(() => logSoftmaxNll(x0, t)).data())).toEqual(Array.from(fused.out));
    });
  }

  it("passes float64 finite differences", () => {
    manualSeed(5);
    const x = randn([7, 5]).to("float64").requiresGrad_();
    const t = classTargets("test", x, target, weight, -100);
    expect(gradcheck((a) => logSoftmaxNll(a, t), [x])).toBe(true);
  });

  it("second derivatives (createGraph) match the composite's", () => {
    manualSeed(6);
    const x0 = randn([7, 5]).to("float64");
    const v = randn([7, 5]).to("float64");
    const run = (f: typeof composite) => {
      const x = x0.detach().requiresGrad_();
      const t = classTargets("test", x, target, weight, -100);
      f(x, t).sum().backward(undefined, { createGraph: true });
      const gx = x.grad!;
      x.grad = null;
      gx.mul(v).sum().backward();
      return x.grad!.data();
    };
    close(run(logSoftmaxNll), run(composite), 1e-12);
  });
});
