import { describe, expect, it } from "vitest";
import { gradcheck, manualSeed, randn, type Tensor } from "@rnnkit/autograd";
import { setBackend, wasmBackend } from "@rnnkit/tensor";
import { F } from "../src/index.js";

// F.linear runs as one primitive for float inputs; it must give what matmul + broadcast add give.

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

function both(shape: number[], out: number, withBias: boolean) {
  return [true, false].map((fused) => {
    manualSeed(8);
    const x = randn(shape, { requiresGrad: true });
    const w = randn([out, shape[shape.length - 1]!], { requiresGrad: true });
    const b = withBias ? randn([out], { requiresGrad: true }) : null;
    const y = fused ? F.linear(x, w, b) : b ? x.matmul(w.t()).add(b) : x.matmul(w.t());
    manualSeed(9);
    y.mul(randn(y.shape)).sum().backward();
    return [y, x.grad!, w.grad!, ...(b ? [b.grad!] : [])].map((t: Tensor) => Array.from(t.data()));
  });
}

describe("F.linear = matmul + bias", () => {
  for (const be of ["js", "wasm"] as const) {
    it(`values and gradients, 1-D to 3-D inputs, with and without bias (${be} backend)`, () => {
      const prev = setBackend(be === "wasm" && !wasmBackend() ? "js" : be);
      try {
        for (const [shape, out] of [[[5], 3], [[7, 4], 6], [[3, 40, 33], 65]] as [number[], number][]) {
          for (const withBias of [true, false]) {
            const [fused, ref] = both(shape, out, withBias);
            fused!.forEach((v, i) => close(v, ref![i]!, 1e-5));
          }
        }
      } finally {
        setBackend(prev);
      }
    });
  }

  it("passes float64 finite differences, first and second order", () => {
    manualSeed(10);
    const d = { dtype: "float64" as const, requiresGrad: true };
    const [x, w, b] = [randn([4, 3], d), randn([2, 3], d), randn([2], d)];
    expect(gradcheck((a, c, e) => F.linear(a, c, e), [x, w, b])).toBe(true);
    // Second order through createGraph: d/dx of Σ (∂L/∂W)² against the composite's.
    const second = (f: (a: Tensor, c: Tensor, e: Tensor) => Tensor) => {
      const xs = [x, w, b].map((t) => t.detach().requiresGrad_());
      f(xs[0]!, xs[1]!, xs[2]!).square().sum().backward(undefined, { createGraph: true });
      const gw = xs[1]!.grad!;
      xs.forEach((t) => (t.grad = null));
      gw.square().sum().backward();
      return Array.from(xs[0]!.grad!.data());
    };
    close(second((a, c, e) => F.linear(a, c, e)), second((a, c, e) => a.matmul(c.t()).add(e)), 1e-12);
  });
});
