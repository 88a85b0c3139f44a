// An optimizer step writes the weights in place (or replaces a strided weight's value): a
// recurrent layer on the wasm backend, whose packed weights stay in the backend's memory across
// calls, must run the next call on the stepped weights, equal to a fresh layer loaded with them.
import { manualSeed, noGrad, randn, type Tensor } from "@rnnkit/autograd";
import { GRU, LSTM } from "@rnnkit/nn";
import { setBackend, type Backend } from "@rnnkit/tensor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Adam, SGD, type Optimizer } from "../src/index.js";

let prev: Backend | undefined;
beforeAll(() => {
  prev = setBackend("wasm");
});
afterAll(() => {
  if (prev) setBackend(prev);
});

type Layer = LSTM | GRU;

/** The layer's output rows for `x` (its state from zeros). */
function run(m: Layer, x: Tensor): Tensor {
  return m instanceof LSTM ? m.forward(x)[0] : m.forward(x)[0];
}

function outputs(m: Layer, x: Tensor): number[] {
  return noGrad(() => Array.from(run(m, x).data()));
}

const MAKERS: [string, () => Layer][] = [["LSTM 2 layers", () => new LSTM(8, 32, { numLayers: 2 })], ["GRU", () => new GRU(8, 32)]];
const OPTIMIZERS: [string, (ps: Tensor[]) => Optimizer][] = [["SGD", (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 })], ["Adam", (ps) => new Adam(ps, { lr: 0.01 })]];

describe("resident weights after optimizer steps (wasm backend)", () => {
  for (const [label, make] of MAKERS) {
    for (const [optName, makeOpt] of OPTIMIZERS) {
      it(`${label}, ${optName}: each call after a step runs on the stepped weights`, () => {
        manualSeed(0);
        const m = make();
        const opt = makeOpt(m.parameters());
        const x = randn([3, 1, 8]);
        let before = outputs(m, x);
        for (let step = 0; step < 3; step++) {
          opt.zeroGrad();
          run(m, x).pow(2).sum().backward();
          opt.step();
          const got = outputs(m, x);
          expect(got).not.toEqual(before);
          const fresh = make();
          fresh.loadStateDict(m.stateDict());
          expect(got).toEqual(outputs(fresh, x));
          before = got;
        }
      });
    }
  }
});
