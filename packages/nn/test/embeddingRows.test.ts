import { describe, expect, it } from "vitest";
import { manualSeed, noGrad, randint, randn, Tensor, type Node } from "@rnnkit/autograd";
import { setBackend, wasmBackend } from "@rnnkit/tensor";
import { Embedding, GRU, Linear, LSTM, RNN, RNNBase, type Module } from "../src/index.js";
import { embedding } from "../src/functional/embedding.js";
import { packPaddedSequence } from "../src/utils/rnn.js";

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
          expectSame(make, [16]);
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

// Cases where the table shortcut would break torch semantics must take the row path, and cases
// where it is taken must give what the row path gives. Each scenario runs twice: fused layers
// (shortcut allowed) and per-step cells (`RNNBase.fused = false`, never the shortcut).

interface Scenario {
  /** Tensors the loss is a random weighting of. */
  outs: Tensor[];
  /** Tensors whose `.grad` is compared (parameters, a retained non-leaf). */
  watched: Tensor[];
  /** The embedding table, to tell whether a recurrent node took it as input. */
  table: Tensor;
}

/** True when some node other than the lookup itself reads `table` directly (the shortcut was taken). */
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
function forwardAll(m: Layer, x: Tensor | ReturnType<typeof packPaddedSequence>): Tensor[] {
  const [o, st] = m instanceof LSTM ? m.forward(x) : (m as RNN).forward(x);
  const out = o instanceof Tensor ? o : o.data;
  return [out, ...(Array.isArray(st) ? st : [st])];
}

/** An embedding (7 × 6) and an LSTM over it, with a `(5, 4)` batch of indices. */
function lstmOverEmbedding(opts: ConstructorParameters<typeof LSTM>[2] = {}) {
  const emb = new Embedding(7, 6);
  const lstm = new LSTM(6, 5, opts);
  const idx = randint(0, 7, [5, 4]);
  const params = (...ms: Module[]) => ms.flatMap((m) => m.parameters());
  return { emb, lstm, idx, params };
}

describe("the embedding table shortcut falls back where it would differ from torch", () => {
  it("takes the row path when the lookup's gradient is retained (e.grad includes the layer's part)", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const e = emb.forward(idx).retainGrad();
      return { outs: forwardAll(lstm, e), watched: [e, ...params(emb, lstm)], table: emb.weight };
    }, false);
  });

  it("takes the row path when the lookup was detached and made a leaf again", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const e = emb.forward(idx).detach_().requiresGrad_();
      return { outs: forwardAll(lstm, e), watched: [e, ...params(emb, lstm)], table: emb.weight };
    }, false);
  });

  const changes: [string, (emb: Embedding, e: Tensor, idx: Tensor) => void][] = [
    ["the table is scaled in place under noGrad", (emb) => noGrad(() => emb.weight.mul_(1.5))],
    ["the table takes an optimizer-like step", (emb) => noGrad(() => emb.weight.sub_(randn(emb.weight.shape).mul(0.1)))],
    ["one looked-up table element is written directly", (emb, _e, idx) => {
      emb.weight.value.data[(idx.value.data[3]! as number) * 6 + 2]! += 1;
    }],
    ["the lookup's output is changed in place under noGrad", (_emb, e) => noGrad(() => e.mul_(2))],
    ["a later max-norm lookup renormalizes the rows in place", (emb, _e, idx) => {
      embedding(idx, emb.weight, { maxNorm: 0.5 });
    }],
  ];
  for (const [name, change] of changes) {
    it(`takes the row path when ${name} between the lookup and the layer`, () => {
      expectLikeRowPath(() => {
        const { emb, lstm, idx, params } = lstmOverEmbedding();
        const e = emb.forward(idx);
        change(emb, e, idx);
        return { outs: forwardAll(lstm, e), watched: params(emb, lstm), table: emb.weight };
      }, false);
    });
  }

  for (const changed of [false, true]) {
    it(`a strided (transposed) table${changed ? " changed in place after the lookup takes the row path" : " is taken"}`, () => {
      expectLikeRowPath(() => {
        const w = randn([6, 7], { requiresGrad: true });
        const table = w.t();
        const lstm = new LSTM(6, 5);
        const e = embedding(randint(0, 7, [5, 4]), table);
        if (changed) noGrad(() => w.mul_(0.5));
        return { outs: forwardAll(lstm, e), watched: [w, ...lstm.parameters()], table };
      }, !changed);
    });
  }

  it("takes the row path for a table with more than half as many rows as the lookup", () => {
    expectLikeRowPath(() => {
      const emb = new Embedding(11, 6);
      const gru = new GRU(6, 5);
      return { outs: forwardAll(gru, emb.forward(randint(0, 11, [5, 4]))), watched: [...emb.parameters(), ...gru.parameters()], table: emb.weight };
    }, false);
  });

  it("a table changed in place after the layer's forward: W_ih's gradient still reads the rows the layer was fed", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const outs = forwardAll(lstm, emb.forward(idx));
      noGrad(() => emb.weight.mul_(3));
      return { outs, watched: params(emb, lstm), table: emb.weight };
    }, true);
  });

  it("still takes the table when only rows the lookup did not use changed", () => {
    expectLikeRowPath(() => {
      const emb = new Embedding(9, 6);
      const lstm = new LSTM(6, 5);
      const idx = randint(0, 7, [5, 4]);
      const e = emb.forward(idx);
      noGrad(() => emb.weight.value.data.fill(3, 7 * 6));
      return { outs: forwardAll(lstm, e), watched: [...emb.parameters(), ...lstm.parameters()], table: emb.weight };
    }, true);
  });
});

describe("the embedding table shortcut with other consumers and layer options = the row path", () => {
  it("the lookup also feeds a Linear: the table's gradient sums both paths once", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const lin = new Linear(6, 3);
      const e = emb.forward(idx);
      return { outs: [...forwardAll(lstm, e), lin.forward(e)], watched: params(emb, lstm, lin), table: emb.weight };
    }, true);
  });

  it("the lookup feeds two layers and one of them twice", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const gru = new GRU(6, 4, { bidirectional: true });
      const e = emb.forward(idx);
      return { outs: [...forwardAll(lstm, e), ...forwardAll(gru, e), ...forwardAll(gru, e)], watched: params(emb, lstm, gru), table: emb.weight };
    }, true);
  });

  const options: [string, ConstructorParameters<typeof LSTM>[2]][] = [
    ["batchFirst", { batchFirst: true }],
    ["bidirectional", { bidirectional: true }],
    ["3 layers, bidirectional, batchFirst", { numLayers: 3, bidirectional: true, batchFirst: true }],
  ];
  for (const [name, opts] of options) {
    it(`LSTM ${name}`, () => {
      expectLikeRowPath(() => {
        const { emb, lstm, idx, params } = lstmOverEmbedding(opts);
        return { outs: forwardAll(lstm, emb.forward(idx)), watched: params(emb, lstm), table: emb.weight };
      }, true);
    });
  }

  it("unbatched indices", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, params } = lstmOverEmbedding();
      return { outs: forwardAll(lstm, emb.forward(randint(0, 7, [16]))), watched: params(emb, lstm), table: emb.weight };
    }, true);
  });

  it("a PackedSequence of the lookup never takes the table (its data is not the lookup's output)", () => {
    expectLikeRowPath(() => {
      const { emb, lstm, idx, params } = lstmOverEmbedding();
      const packed = packPaddedSequence(emb.forward(idx), [5, 4, 4, 2], { enforceSorted: false });
      return { outs: forwardAll(lstm, packed), watched: params(emb, lstm), table: emb.weight };
    }, false);
  });

  it("float64 table and layer", () => {
    expectLikeRowPath(() => {
      const emb = Embedding.fromPretrained(randn([7, 6], { dtype: "float64" }), { freeze: false });
      const gru = new GRU(6, 5, { numLayers: 2 });
      for (const p of gru.parameters()) p.value = p.value.copy("float64");
      const e = emb.forward(randint(0, 7, [5, 4]));
      return { outs: forwardAll(gru, e), watched: [...emb.parameters(), ...gru.parameters()], table: emb.weight };
    }, true);
  });
});
