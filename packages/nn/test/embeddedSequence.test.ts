import { describe, expect, it } from "vitest";
import { manualSeed, noGrad, randint, randn, Tensor, type Node } from "@rnnkit/autograd";
import { setBackend, wasmBackend } from "@rnnkit/tensor";
import { EmbeddedSequence, Embedding, GRU, Linear, LSTM, RNN, RNNBase, type Module } from "../src/index.js";

// A recurrent layer fed an EmbeddedSequence (ids and their embedding, the caller's choice)
// projects the embedding table instead of every row; it must give the values and gradients of
// the row-by-row path, `layer.forward(emb.forward(ids))`.

type Layer = RNN | LSTM | GRU;

function run(make: () => Layer, shape: number[], rows: boolean, vocab = 7) {
  manualSeed(21);
  const emb = new Embedding(vocab, 6);
  const m = make();
  const idx = randint(0, vocab, shape);
  const x = rows ? emb.forward(idx) : new EmbeddedSequence(emb, idx);
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

describe("recurrent layer over an EmbeddedSequence = over the looked-up rows", () => {
  for (const be of ["js", "wasm"] as const) {
    for (const [name, make] of layers) {
      it(`${name} (${be} backend): batched and unbatched indices`, () => {
        const prev = setBackend(be === "wasm" && !wasmBackend() ? "js" : be);
        try {
          expectSame(make, [5, 8]);
          expectSame(make, [16]);
        } finally {
          setBackend(prev);
        }
      });
    }
  }

  it("under noGrad: the same values, no graph", () => {
    manualSeed(3);
    const emb = new Embedding(7, 6);
    const lstm = new LSTM(6, 5);
    const idx = randint(0, 7, [8, 3]);
    const [a] = noGrad(() => lstm.forward(new EmbeddedSequence(emb, idx)));
    const [b] = noGrad(() => lstm.forward(emb.forward(idx)));
    expect(a.gradFn).toBeNull();
    const want = Array.from(b.data());
    Array.from(a.data()).forEach((x, j) => expect(Math.abs(x - want[j]!)).toBeLessThan(2e-6 + 1e-5 * Math.abs(x)));
  });

  it("a frozen table gets no gradient; the layer's weights do", () => {
    manualSeed(4);
    const emb = Embedding.fromPretrained(randn([7, 6]));
    const gru = new GRU(6, 5);
    gru.forward(new EmbeddedSequence(emb, randint(0, 7, [8, 3])))[0].sum().backward();
    expect(emb.weight.grad).toBeNull();
    expect(gru.parameters().every((p) => p.grad !== null)).toBe(true);
  });
});

// Each scenario runs twice: fused layers (the table projected) and per-step cells
// (`RNNBase.fused = false`, always the looked-up rows); values and gradients agree.

interface Scenario {
  /** Tensors the loss is a random weighting of. */
  outs: Tensor[];
  /** Tensors whose `.grad` is compared (parameters, a retained non-leaf). */
  watched: Tensor[];
  /** The embedding table, to tell whether a recurrent node took it as input. */
  table: Tensor;
}

/** True when some node other than a lookup reads `table` directly (the table was projected). */
function tableFedToLayer(outs: Tensor[], table: Tensor): boolean {
  const seen = new Set<Node>();
  const stack = outs.map((t) => t.gradFn).filter((n): n is Node => n !== null);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.name !== "embedding" && n.inputs.includes(table)) return true;
    for (const t of n.inputs) if (t.gradFn) stack.push(t.gradFn);
  }
  return false;
}

function runScenario(build: () => Scenario, fused: boolean) {
  const prev = RNNBase.fused;
  RNNBase.fused = fused;
  try {
    manualSeed(21);
    const sc = build();
    manualSeed(5);
    let loss = sc.outs[0]!.mul(randn(sc.outs[0]!.shape, { dtype: sc.outs[0]!.dtype })).sum();
    for (const o of sc.outs.slice(1)) loss = loss.add(o.mul(randn(o.shape, { dtype: o.dtype })).sum());
    const usedTable = tableFedToLayer(sc.outs, sc.table);
    loss.backward();
    return {
      usedTable,
      values: sc.outs.map((t) => Array.from(t.data())),
      grads: sc.watched.map((p) => (p.grad ? Array.from(p.grad.data()) : null)),
    };
  } finally {
    RNNBase.fused = prev;
  }
}

/** Runs `build` with and without the shortcut; values and gradients agree, and the shortcut was (not) taken. */
function expectLikeRowPath(build: () => Scenario, shortcut: boolean): void {
  const a = runScenario(build, true);
  const b = runScenario(build, false);
  expect(a.usedTable).toBe(shortcut);
  expect(b.usedTable).toBe(false);
  a.values.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - b.values[i]![j]!)).toBeLessThan(2e-6 + 1e-5 * Math.abs(x))));
  a.grads.forEach((g, i) => {
    expect(g === null).toBe(b.grads[i] === null);
    g?.forEach((x, j) => expect(Math.abs(x - b.grads[i]![j]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(x)));
  });
}

/** Every output and final state of a recurrent layer's forward. */
function forwardAll(m: Layer, x: Tensor | EmbeddedSequence): Tensor[] {
  const [o, st] = m instanceof LSTM ? m.forward(x) : (m as RNN).forward(x);
  const out = o instanceof Tensor ? o : o.data;
  return [out, ...(Array.isArray(st) ? st : [st])];
}

/** An embedding (7 × 6) and an LSTM over it, with a `(5, 4)` batch of indices. */
function lstmOverEmbedding(opts: ConstructorParameters<typeof LSTM>[2] = {}) {
  const emb = new Embedding(7, 6);
  const lstm = new LSTM(6, 5, opts);
  const idx = randint(0, 7, [8, 4]);
  const params = (...ms: Module[]) => ms.flatMap((m) => m.parameters());
  return { emb, lstm, idx, params };
}

describe("the table projection where it is chosen = the row path", () => {
  it("takes the rows for a table with more than half as many rows as the ids", () => {
    expectLikeRowPath(() => {
      const emb = new Embedding(11, 6);
      const gru = new GRU(6, 5);
      return { outs: forwardAll(gru, new EmbeddedSequence(emb, randint(0, 11, [5, 4]))), watched: [...emb.parameters(), ...gru.parameters()], table: emb.weight };
    }, false);
  });

  it("a table changed in place after the layer's forward: W_ih's gradient still reads the rows the layer was fed", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const outs = forwardAll(lstm, new EmbeddedSequence(emb, idx));
      noGrad(() => emb.weight.mul_(3));
      return { outs, watched: params(emb, lstm), table: emb.weight };
    }, true);
  });

  it("the table also feeds a Linear through a lookup: its gradient sums both paths once", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const lin = new Linear(6, 3);
      return { outs: [...forwardAll(lstm, new EmbeddedSequence(emb, idx)), lin.forward(emb.forward(idx))], watched: params(emb, lstm, lin), table: emb.weight };
    }, true);
  });

  it("one EmbeddedSequence feeds two layers and one of them twice", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const gru = new GRU(6, 4, { bidirectional: true });
      const x = new EmbeddedSequence(emb, idx);
      return { outs: [...forwardAll(lstm, x), ...forwardAll(gru, x), ...forwardAll(gru, x)], watched: params(emb, lstm, gru), table: emb.weight };
    }, true);
  });

  const options: [string, ConstructorParameters<typeof LSTM>[2]][] = [
    ["batchFirst", { batchFirst: true }],
    ["bidirectional", { bidirectional: true }],
    ["3 layers, bidirectional, batchFirst", { numLayers: 3, bidirectional: true, batchFirst: true }],
    ["projSize", { projSize: 3 }],
  ];
  for (const [name, opts] of options) {
    it(`LSTM ${name}`, () => {
      expectLikeRowPath(() => {
        const { emb, lstm, idx, params } = lstmOverEmbedding(opts);
        return { outs: forwardAll(lstm, new EmbeddedSequence(emb, idx)), watched: params(emb, lstm), table: emb.weight };
      }, true);
    });
  }

  it("unbatched ids", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, params } = lstmOverEmbedding();
      return { outs: forwardAll(lstm, new EmbeddedSequence(emb, randint(0, 7, [16]))), watched: params(emb, lstm), table: emb.weight };
    }, true);
  });

  it("float64 table and layer", () => {
    expectLikeRowPath(() => {
      const emb = Embedding.fromPretrained(randn([7, 6], { dtype: "float64" }), { freeze: false });
      const gru = new GRU(6, 5, { numLayers: 2 });
      for (const p of gru.parameters()) p.value = p.value.copy("float64");
      return { outs: forwardAll(gru, new EmbeddedSequence(emb, randint(0, 7, [8, 4]))), watched: [...emb.parameters(), ...gru.parameters()], table: emb.weight };
    }, true);
  });

  it("the profile shows the choice: the fused node is named LSTMEmbeddedSequence", () => {
    const { emb, lstm, idx } = lstmOverEmbedding();
    /** Names of the nodes `t`'s graph is made of. */
    const names = (t: Tensor): Set<string> => {
      const out = new Set<string>();
      const stack = t.gradFn ? [t.gradFn] : [];
      while (stack.length > 0) {
        const n = stack.pop()!;
        out.add(n.name);
        for (const x of n.inputs) if (x.gradFn) stack.push(x.gradFn);
      }
      return out;
    };
    const fused = names(lstm.forward(new EmbeddedSequence(emb, idx))[0]);
    expect(fused.has("LSTMEmbeddedSequence") && !fused.has("LSTMSequence")).toBe(true);
    const rows = names(lstm.forward(emb.forward(idx))[0]);
    expect(rows.has("LSTMSequence") && !rows.has("LSTMEmbeddedSequence")).toBe(true);
  });
});

describe("EmbeddedSequence errors", () => {
  it("takes only a plain embedding and int32 ids of 1 or 2 dims", () => {
    const idx = randint(0, 7, [5, 4]);
    expect(() => new EmbeddedSequence(new Embedding(7, 6, { paddingIdx: 0 }), idx)).toThrow("EmbeddedSequence: only a plain embedding (no paddingIdx, maxNorm or scaleGradByFreq)");
    expect(() => new EmbeddedSequence(new Embedding(7, 6, { maxNorm: 1 }), idx)).toThrow("only a plain embedding");
    expect(() => new EmbeddedSequence(new Embedding(7, 6), randn([5, 4]))).toThrow("EmbeddedSequence: ids must be an int32 Tensor, got float32 of shape [5, 4]");
    expect(() => new EmbeddedSequence(new Embedding(7, 6), randint(0, 7, [2, 3, 4]))).toThrow("EmbeddedSequence: ids must be 1-D (T) or 2-D (T, B) / (B, T), got shape [2, 3, 4]");
  });

  it("an embedding of the wrong width names the layer's input size", () => {
    expect(() => new LSTM(5, 4).forward(new EmbeddedSequence(new Embedding(7, 6), randint(0, 7, [5, 4])))).toThrow("input.size(-1) must be equal to inputSize, expected 5, got 6");
  });
});
