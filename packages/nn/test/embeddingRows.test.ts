import { describe, expect, it } from "vitest";
import { manualSeed, noGrad, randint, randn, Tensor } from "@rnnkit/autograd";
import { setBackend, wasmBackend } from "@rnnkit/tensor";
import { Embedding, GRU, LSTM, RNN } from "../src/index.js";

// A recurrent layer fed a plain embedding's output projects the embedding table instead of every
// row; it must give the values and gradients of the row-by-row path (here forced by feeding a
// copy of the same rows, which is not a recorded lookup).

type Layer = RNN | LSTM | GRU;

function run(make: () => Layer, shape: number[], viaCopy: boolean, vocab = 7) {
  manualSeed(21);
  const emb = new Embedding(vocab, 6);
  const m = make();
  const idx = randint(0, vocab, shape);
  const e = emb.forward(idx);
  const x = viaCopy ? e.mul(1) : e;
  const [o, st] = m instanceof LSTM ? m.forward(x) : (m as RNN).forward(x);
  const states = Array.isArray(st) ? st : [st];
  manualSeed(5);
  let loss = (o as Tensor).mul(randn((o as Tensor).shape)).sum();
  for (const s of states) loss = loss.add(s.mul(randn(s.shape)).sum());
  loss.backward();
  return {
    values: [o as Tensor, ...states].map((t) => Array.from(t.data())),
    grads: [...emb.parameters(), ...m.parameters()].map((p) => (p.grad ? Array.from(p.grad.data()) : null)),
  };
}

function expectSame(make: () => Layer, shape: number[]): void {
  const a = run(make, shape, false);
  const b = run(make, shape, true);
  a.values.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - b.values[i]![j]!)).toBeLessThan(2e-6 + 1e-5 * Math.abs(x))));
  a.grads.forEach((g, i) => {
    expect(g === null).toBe(b.grads[i] === null);
    g?.forEach((x, j) => expect(Math.abs(x - b.grads[i]![j]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(x)));
  });
}

const layers: [string, () => Layer][] = [
  ["LSTM 2 layers", () => new LSTM(6, 5, { numLayers: 2 })],
  ["LSTM bidirectional batchFirst", () => new LSTM(6, 4, { bidirectional: true, batchFirst: true })],
  ["LSTM projSize", () => new LSTM(6, 5, { projSize: 3 })],
  ["GRU bidirectional", () => new GRU(6, 5, { bidirectional: true })],
  ["GRU batchFirst, no bias", () => new GRU(6, 4, { batchFirst: true, bias: false })],
  ["RNN relu", () => new RNN(6, 5, { nonlinearity: "relu" })],
  ["LSTM H32 (bulk kernels)", () => new LSTM(6, 32)],
  ["GRU H48 (bulk kernels)", () => new GRU(6, 48)],
];

describe("recurrent layer over an embedding's output = over the same rows", () => {
  for (const be of ["js", "wasm"] as const) {
    for (const [name, make] of layers) {
      it(`${name} (${be} backend): batched and unbatched indices`, () => {
        const prev = setBackend(be === "wasm" && !wasmBackend() ? "js" : be);
        try {
          expectSame(make, [5, 8]);
          expectSame(make, [6]);
        } finally {
          setBackend(prev);
        }
      });
    }
  }

  it("a lookup made under noGrad sends no gradient to the table", () => {
    manualSeed(3);
    const emb = new Embedding(7, 6);
    const lstm = new LSTM(6, 5);
    const e = noGrad(() => emb.forward(randint(0, 7, [4, 3])));
    lstm.forward(e)[0].sum().backward();
    expect(emb.weight.grad).toBeNull();
    expect(lstm.parameters().every((p) => p.grad !== null)).toBe(true);
  });

  it("a frozen table gets no gradient; the layer's weights do", () => {
    manualSeed(4);
    const emb = Embedding.fromPretrained(randn([7, 6]));
    const gru = new GRU(6, 5);
    gru.forward(emb.forward(randint(0, 7, [4, 3])))[0].sum().backward();
    expect(emb.weight.grad).toBeNull();
    expect(gru.parameters().every((p) => p.grad !== null)).toBe(true);
  });
});
