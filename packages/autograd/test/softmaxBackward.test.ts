// The one-pass backward of softmax / log-softmax (Backend.softmaxBackward) against the
// differentiable formulas it replaces (g − e^y·Σg, y·(g − Σ g·y)), which still run when a
// higher-order graph is built: bit for bit on the JS backend, to the exp's few ulp on wasm.
import { backend, jsBackend, setBackend, wasmBackend } from "@rnnkit/tensor";
import { describe, expect, it } from "vitest";
import { gradcheck, manualSeed, randn, type Tensor } from "../src/index.js";

/** x.grad after `f(x).backward(g)`, through the fast rule or (createGraph) the composite one. */
function gradOf(x0: Tensor, g: Tensor, f: (x: Tensor) => Tensor, createGraph: boolean): Float32Array | Float64Array {
  const x = x0.detach().requiresGrad_();
  f(x).backward(g, { createGraph });
  return x.grad!.data() as Float32Array | Float64Array;
}

const cases: [string, number[], number][] = [
  ["(30, 4001) rows, last dim", [30, 4001], 1],
  ["(5, 3, 64), middle dim", [5, 3, 64], 1],
  ["(6, 300), dim 0", [6, 300], 0],
  ["1-D", [9], 0],
];

describe.each([["js", jsBackend], ["wasm", wasmBackend() ?? jsBackend]] as const)("softmax backward on the %s backend", (name, be) => {
  for (const log of [true, false]) {
    for (const [label, shape, dim] of cases) {
      it(`${log ? "logSoftmax" : "softmax"} ${label}: equals the composite rule`, () => {
        const prev = setBackend(be);
        try {
          manualSeed(11);
          const x = randn(shape).mul(3);
          const g = randn(shape);
          const f = (t: Tensor) => (log ? t.logSoftmax(dim) : t.softmax(dim));
          const fast = gradOf(x, g, f, false);
          const ref = gradOf(x, g, f, true);
          if (name === "js") {
            expect(Array.from(fast)).toEqual(Array.from(ref));
            return;
          }
          // The wasm kernels form e^y with their own (1–3 ulp) exp, where the composite ran the
          // exp op: each gradient term may move by a few ulp of the terms it is made of.
          const y = f(x).data();
          for (let i = 0; i < fast.length; i++) {
            const p = log ? Math.exp(y[i]!) : Math.abs(y[i]!);
            const tol = 2 ** -20 * (Math.abs(ref[i]!) + p * (1 + Math.abs(y[i]!)) * 64) + 2 ** -120;
            if (!(Math.abs(fast[i]! - ref[i]!) <= tol)) throw new Error(`[${i}] ${fast[i]} vs ${ref[i]}`);
          }
        } finally {
          setBackend(prev);
        }
      });
    }
  }
  it("float64 passes finite differences through the fast rule", () => {
    const prev = setBackend(be);
    try {
      manualSeed(12);
      const x = randn([4, 7]).to("float64").requiresGrad_();
      expect(backend()).toBe(be);
      expect(gradcheck((a) => a.logSoftmax(1).mul(a.softmax(0)), [x])).toBe(true);
    } finally {
      setBackend(prev);
    }
  });
});
