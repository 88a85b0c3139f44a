// Recurrent layers and cells on the wasm backend keep their packed weights in its memory across
// calls (keyed by each weight's storage and version), and nn keeps each layer's summed biases:
// every way of changing a weight or bias (an in-place op, copy_, loadStateDict, nn.init, a
// replaced value) is picked up by the next call, which then
// equals a fresh module with the same weights bit for bit; and the fused one-step cells agree with
// the per-op cells in values and gradients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualSeed, noGrad, randn, Tensor } from "@rnnkit/autograd";
import { NDArray, setBackend, type Backend } from "@rnnkit/tensor";
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, init, type Module } from "../src/index.js";

type Layer = RNN | LSTM | GRU;

let prev: Backend | undefined;
beforeAll(() => {
  prev = setBackend("wasm");
});
afterAll(() => {
  if (prev) setBackend(prev);
  RNNBase.fused = true;
});

const LAYERS: [string, () => Layer][] = [
  ["LSTM 2 layers", () => new LSTM(12, 32, { numLayers: 2 })],
  ["GRU bidirectional", () => new GRU(12, 32, { bidirectional: true })],
  ["RNN tanh 2 layers", () => new RNN(12, 32, { numLayers: 2 })],
  ["RNN relu", () => new RNN(12, 32, { nonlinearity: "relu" })],
  ["LSTM with projection, bidirectional", () => new LSTM(12, 32, { projSize: 8, bidirectional: true })],
];

/** One call of `m` on `x` (T, B, 12) from a fixed state, under noGrad: every value it returns. */
function call(m: Layer, x: Tensor): number[] {
  const dirs = m.bidirectional ? 2 : 1;
  const B = x.shape[1]!;
  manualSeed(5);
  const h0 = randn([m.numLayers * dirs, B, m.outputHiddenSize]);
  const c0 = randn([m.numLayers * dirs, B, m.hiddenSize]);
  return noGrad(() => {
    if (m instanceof LSTM) {
      const [out, [h, c]] = m.forward(x, [h0, c0]);
      return [...out.data(), ...h.data(), ...c.data()];
    }
    const [out, h] = (m as RNN | GRU).forward(x, h0);
    return [...out.data(), ...h.data()];
  });
}

/** A new module like `m` (made by `make`) with `m`'s weights in storage of its own. */
function twin<M extends Module>(make: () => M, m: M): M {
  const t = make();
  t.loadStateDict(m.stateDict());
  return t;
}

const sameBits = (a: number[], b: number[]): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`[${i}]: ${a[i]} vs ${b[i]}`);
};

describe("resident weights in recurrent layers (wasm backend)", () => {
  for (const [label, make] of LAYERS) {
    for (const batch of [1, 3]) {
      it(`${label}, batch ${batch}: each way of changing a weight is picked up by the next call`, () => {
        manualSeed(1);
        const m = make();
        const x = randn([2, batch, 12]);
        const first = call(m, x);
        sameBits(call(m, x), first); // resident now: the same values
        sameBits(call(twin(make, m), x), first);
        const param = (name: string): Tensor => new Map(m.namedParameters()).get(name)!;
        const w = param("weight_hh_l0");
        const wi = param("weight_ih_l0");
        const changes: [string, () => void][] = [
          ["mul_", () => noGrad(() => w.mul_(0.5))],
          ["copy_", () => noGrad(() => wi.copy_(randn(wi.shape)))],
          ["loadStateDict", () => m.loadStateDict(make().stateDict())],
          ["nn.init", () => init.uniform_(w, -0.3, 0.3)],
          ["bias_hh add_", () => noGrad(() => param("bias_hh_l0").add_(0.25))],
          ["bias_ih fill_", () => noGrad(() => param("bias_ih_l0").fill_(-0.1))],
          ["a replaced value", () => {
            w.value = NDArray.from(randn(w.shape).data(), { shape: w.shape });
          }],
        ];
        if (m instanceof LSTM && m.projSize > 0) {
          const hr = param("weight_hr_l0");
          changes.push(["W_hr mul_", () => noGrad(() => hr.mul_(-1))]);
        }
        let before = first;
        for (const [what, change] of changes) {
          change();
          const got = call(m, x);
          expect(got, what).not.toEqual(before);
          sameBits(got, call(twin(make, m), x));
          before = got;
        }
      });
    }
  }
});

type Cell = RNNCell | LSTMCell | GRUCell;

const CELLS: [string, () => Cell][] = [
  ["RNNCell tanh", () => new RNNCell(12, 32)],
  ["RNNCell relu", () => new RNNCell(12, 32, { nonlinearity: "relu" })],
  ["LSTMCell", () => new LSTMCell(12, 32)],
  ["GRUCell", () => new GRUCell(12, 32)],
  ["GRUCell without bias", () => new GRUCell(12, 32, { bias: false })],
];

/** Two steps of `cell` from a random state, then a random linear loss backward: values and gradients. */
function cellRun(make: () => Cell, fused: boolean, batch: number | null) {
  manualSeed(2);
  const cell = make();
  RNNBase.fused = fused;
  try {
    const shape = (n: number): number[] => (batch === null ? [n] : [batch, n]);
    const xs = [randn(shape(12), { requiresGrad: true }), randn(shape(12), { requiresGrad: true })];
    const h0 = randn(shape(32), { requiresGrad: true });
    const c0 = randn(shape(32), { requiresGrad: true });
    let state: Tensor[] = cell instanceof LSTMCell ? [h0, c0] : [h0];
    const outs: Tensor[] = [];
    for (const x of xs) {
      state = cell instanceof LSTMCell ? [...cell.forward(x, [state[0]!, state[1]!])] : [(cell as RNNCell | GRUCell).forward(x, state[0]!)];
      outs.push(...state);
    }
    manualSeed(9);
    let loss = outs[0]!.mul(randn(outs[0]!.shape)).sum();
    for (const o of outs.slice(1)) loss = loss.add(o.mul(randn(o.shape)).sum());
    loss.backward();
    const leaves = [...xs, h0, ...(cell instanceof LSTMCell ? [c0] : []), ...cell.parameters()];
    return { values: outs.map((o) => Array.from(o.data())), grads: leaves.map((t) => Array.from(t.grad!.data())) };
  } finally {
    RNNBase.fused = true;
  }
}

describe("cells as one fused step (wasm backend)", () => {
  for (const [label, make] of CELLS) {
    for (const batch of [1, 4, null]) {
      it(`${label}, ${batch === null ? "unbatched" : `batch ${batch}`}: the fused step = the per-op step (values and gradients)`, () => {
        const fused = cellRun(make, true, batch);
        const perOp = cellRun(make, false, batch);
        fused.values.forEach((v, i) => v.forEach((a, j) => expect(Math.abs(a - perOp.values[i]![j]!)).toBeLessThan(2e-6 + 1e-5 * Math.abs(a))));
        expect(fused.grads.length).toBe(perOp.grads.length);
        fused.grads.forEach((v, i) => v.forEach((a, j) => expect(Math.abs(a - perOp.grads[i]![j]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(a))));
      });
    }
  }

  it("a cell picks up a changed weight on its next step", () => {
    manualSeed(4);
    const cell = new LSTMCell(12, 32);
    const x = randn([1, 12]);
    const step = (c: LSTMCell): number[] => noGrad(() => Array.from(c.forward(x)[0].data()));
    const first = step(cell);
    noGrad(() => cell.weight_hh.mul_(2));
    init.normal_(cell.weight_ih);
    const got = step(cell);
    expect(got).not.toEqual(first);
    sameBits(got, step(twin(() => new LSTMCell(12, 32), cell)));
  });
});
