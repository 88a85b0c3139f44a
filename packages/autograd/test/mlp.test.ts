import { describe, expect, it } from "vitest";
import { Generator, noGrad, randn, tensor, type Tensor } from "../src/index.js";

/** Two interleaved spirals: not linearly separable, so the hidden layer has to learn. */
function spirals(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const r = (i / n) * 2 + 0.2;
    const t = 1.6 * r + label * Math.PI + 0.05 * g.normal();
    xs.push(r * Math.cos(t), r * Math.sin(t));
    ys.push(label);
  }
  return { x: tensor(Float32Array.from(xs), { shape: [n, 2] }), y: tensor(Float32Array.from(ys), { shape: [n, 1] }) };
}

describe("a 2-layer MLP written with Tensor ops trains", () => {
  it("binary cross-entropy on two spirals falls clearly and accuracy rises", () => {
    const g = new Generator(0);
    const { x, y } = spirals(128, g);
    const hidden = 32;
    const w1 = randn([2, hidden], { generator: g }).mul(Math.sqrt(1 / 2)).detach().requiresGrad_();
    const b1 = tensor(new Float32Array(hidden), { requiresGrad: true });
    const w2 = randn([hidden, 1], { generator: g }).mul(Math.sqrt(1 / hidden)).detach().requiresGrad_();
    const b2 = tensor([0], { requiresGrad: true });
    const params = [w1, b1, w2, b2];
    const forward = () => x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
    // BCE with logits, stable form: softplus(z) − y·z = −[y log σ(z) + (1 − y) log(1 − σ(z))].
    const lossOf = (z: Tensor) => z.softplus().sub(y.mul(z)).mean();

    const first = lossOf(forward()).item();
    // Adam by hand: enough to separate the spirals in a few hundred steps.
    const m = params.map((p) => p.detach().mul(0));
    const v = params.map((p) => p.detach().mul(0));
    const lr = 0.05;
    let last = first;
    for (let step = 1; step <= 400; step++) {
      for (const p of params) p.grad = null;
      const loss = lossOf(forward());
      loss.backward();
      last = loss.item();
      noGrad(() => {
        params.forEach((p, i) => {
          const gr = p.grad!;
          m[i] = m[i]!.mul(0.9).add(gr.mul(0.1));
          v[i] = v[i]!.mul(0.999).add(gr.square().mul(0.001));
          const mh = m[i]!.div(1 - 0.9 ** step);
          const vh = v[i]!.div(1 - 0.999 ** step);
          p.sub_(mh.div(vh.sqrt().add(1e-8)).mul(lr));
        });
      });
    }
    expect(first).toBeGreaterThan(0.6);
    expect(last).toBeLessThan(0.15);
    expect(last).toBeLessThan(first / 4);
    const predicted = noGrad(() => forward()).gt(0);
    const accuracy = predicted.eq(y.int()).float().mean().item();
    expect(accuracy).toBeGreaterThan(0.95);
  });
});
