import { describe, expect, it, afterEach } from "vitest";
import { gradcheck, manualSeed, noGrad, randn, Tensor } from "@rnnkit/autograd";
import { GRU, LSTM, RNN, RNNBase, type CellWeights, type RNNMode } from "../src/index.js";
import { runSequence } from "../src/rnn/fusedSequence.js";
import { releaseWorkspace, takeWorkspace } from "../src/rnn/workspacePool.js";
import { utils } from "../src/index.js";
import { setBackend, wasmBackend } from "@rnnkit/tensor";

// The fused whole-sequence op must compute exactly what the per-step cell ops compute:
// values, final states, and the gradients of input, initial state and every parameter.

afterEach(() => {
  RNNBase.fused = true;
});

type Layer = RNN | LSTM | GRU;

type Input = { x: Tensor | ReturnType<typeof utils.rnn.packSequence>; leaves: Tensor[] };

function runBoth(make: () => Layer, input: () => Input, withState: boolean) {
  const results = [true, false].map((fused) => {
    manualSeed(3);
    const m = make();
    RNNBase.fused = fused;
    const { x, leaves } = input();
    const isLstm = m instanceof LSTM;
    const dirs = m.bidirectional ? 2 : 1;
    const b = x instanceof Tensor ? x.shape[m.batchFirst ? 0 : 1]! : x.batchSizes.data()[0]!;
    const h0 = withState ? randn([m.numLayers * dirs, b, m.outputHiddenSize], { requiresGrad: true }) : undefined;
    const c0 = withState && isLstm ? randn([m.numLayers * dirs, b, m.hiddenSize], { requiresGrad: true }) : undefined;
    let out: Tensor;
    let finals: Tensor[];
    if (m instanceof LSTM) {
      const [o, [h, c]] = m.forward(x, h0 && c0 ? [h0, c0] : undefined);
      out = o instanceof Tensor ? o : o.data;
      finals = [h, c];
    } else {
      const [o, h] = (m as RNN).forward(x, h0);
      out = o instanceof Tensor ? o : o.data;
      finals = [h];
    }
    manualSeed(99);
    let loss = out.mul(randn(out.shape)).sum();
    for (const f of finals) loss = loss.add(f.mul(randn(f.shape)).sum());
    loss.backward();
    return {
      values: [out, ...finals].map((t) => Array.from(t.data())),
      grads: [...leaves, h0, c0, ...m.parameters()].filter((t): t is Tensor => t !== undefined).map((t) => Array.from(t.grad!.data())),
    };
  });
  const [fused, perOp] = results;
  expect(fused!.values.length).toBe(perOp!.values.length);
  fused!.values.forEach((v, i) => v.forEach((a, j) => expect(Math.abs(a - perOp!.values[i]![j]!)).toBeLessThan(2e-6 + 1e-5 * Math.abs(a))));
  expect(fused!.grads.length).toBe(perOp!.grads.length);
  fused!.grads.forEach((v, i) => v.forEach((a, j) => expect(Math.abs(a - perOp!.grads[i]![j]!)).toBeLessThan(1e-5 + 1e-4 * Math.abs(a))));
}

const configs: [string, () => Layer][] = [
  ["RNN tanh 2 layers", () => new RNN(3, 5, { numLayers: 2 })],
  ["RNN relu bidirectional batchFirst", () => new RNN(3, 4, { nonlinearity: "relu", bidirectional: true, batchFirst: true })],
  ["LSTM 2 layers bidirectional", () => new LSTM(3, 5, { numLayers: 2, bidirectional: true })],
  ["LSTM projSize, no bias", () => new LSTM(3, 6, { projSize: 2, bias: false, numLayers: 2 })],
  ["GRU 3 layers", () => new GRU(4, 5, { numLayers: 3 })],
  ["GRU bidirectional no bias", () => new GRU(2, 3, { bidirectional: true, bias: false })],
];

describe("fused recurrent sequence = per-step cell ops", () => {
  for (const [name, make] of configs) {
    it(`${name}: padded input, with and without initial state`, () => {
      const m = make();
      const shape = m.batchFirst ? [3, 7, m.inputSize] : [7, 3, m.inputSize];
      const padded = (): Input => {
        const x = randn(shape, { requiresGrad: true });
        return { x, leaves: [x] };
      };
      runBoth(make, padded, true);
      runBoth(make, padded, false);
    });
    it(`${name}: packed unsorted sequences and unbatched input`, () => {
      const m = make();
      runBoth(make, () => {
        const seqs = [5, 2, 7, 1].map((n) => randn([n, m.inputSize], { requiresGrad: true }));
        return { x: utils.rnn.packSequence(seqs, { enforceSorted: false }), leaves: seqs };
      }, true);
      runBoth(make, () => {
        const x = randn([4, m.inputSize], { requiresGrad: true });
        return { x, leaves: [x] };
      }, false);
    });
  }
});

// Hidden sizes and batches large enough that the fused kernels take their bulk paths: sigmoid and
// tanh over whole gate blocks through the backend's kernels (≥ 256 values per step) and per-step
// products through backend().gemm (≥ 4096 multiply-adds), on both backends.
const bulkConfigs: [string, () => Layer][] = [
  ["RNN tanh H64", () => new RNN(6, 64)],
  ["RNN relu H64 batchFirst", () => new RNN(6, 64, { nonlinearity: "relu", batchFirst: true })],
  ["LSTM H32 2 layers bidirectional", () => new LSTM(6, 32, { numLayers: 2, bidirectional: true })],
  ["LSTM H40 projSize 24", () => new LSTM(6, 40, { projSize: 24 })],
  ["GRU H48 2 layers", () => new GRU(6, 48, { numLayers: 2 })],
];

describe("fused recurrent sequence = per-step cell ops at bulk-kernel sizes", () => {
  for (const be of ["js", "wasm"] as const) {
    for (const [name, make] of bulkConfigs) {
      it(`${name} (${be} backend): padded batch of 8 and packed unsorted sequences`, () => {
        const prev = setBackend(be === "wasm" && !wasmBackend() ? "js" : be);
        try {
          const m = make();
          const shape = m.batchFirst ? [8, 5, m.inputSize] : [5, 8, m.inputSize];
          runBoth(make, () => {
            const x = randn(shape, { requiresGrad: true });
            return { x, leaves: [x] };
          }, true);
          runBoth(make, () => {
            const seqs = [4, 6, 2, 6, 1, 3, 5, 6].map((n) => randn([n, m.inputSize], { requiresGrad: true }));
            return { x: utils.rnn.packSequence(seqs, { enforceSorted: false }), leaves: seqs };
          }, false);
        } finally {
          setBackend(prev);
        }
      });
    }
  }
});

describe("fused recurrent sequence under noGrad (nothing kept for backward)", () => {
  const cases: [string, () => Layer][] = [...configs, ...bulkConfigs];
  for (const [name, make] of cases) {
    it(`${name}: same values as with gradients recorded, packed and padded`, () => {
      manualSeed(11);
      const m = make();
      const seqs = [3, 5, 1, 5].map((n) => randn([n, m.inputSize]));
      const packed = utils.rnn.packSequence(seqs, { enforceSorted: false });
      const padded = randn(m.batchFirst ? [4, 5, m.inputSize] : [5, 4, m.inputSize]);
      for (const x of [packed, padded]) {
        const flatten = (r: ReturnType<LSTM["forward"]> | ReturnType<RNN["forward"]>): number[][] => {
          const [o, st] = r;
          const out = o instanceof Tensor ? o : o.data;
          const states = Array.isArray(st) ? st : [st];
          return [out, ...states].map((t) => Array.from(t.data()));
        };
        const run = (): number[][] => flatten(m instanceof LSTM ? m.forward(x as Tensor) : (m as RNN).forward(x as Tensor));
        const withGrad = run();
        const inference = noGrad(run);
        expect(inference).toEqual(withGrad);
      }
    });
  }
});

describe("fused recurrent sequence gradients (float64 finite differences)", () => {
  const modes: [RNNMode, number][] = [["RNN_TANH", 1], ["RNN_RELU", 1], ["LSTM", 4], ["GRU", 3]];
  for (const [mode, G] of modes) {
    for (const reverse of [false, true]) {
      it(`${mode}${reverse ? " reverse" : ""}, packed batch sizes [3, 3, 2, 1]`, () => {
        manualSeed(5);
        const H = 3;
        const proj = mode === "LSTM" && !reverse ? 2 : 0;
        const R = proj || H;
        const batchSizes = [3, 3, 2, 1];
        const N = 9;
        const d = { dtype: "float64" as const, requiresGrad: true };
        const I = 2;
        const x = randn([N, I], d);
        const wih = randn([G * H, I], d);
        const bih = randn([G * H], d);
        const whh = randn([G * H, R], d).mul(0.5).detach().requiresGrad_();
        const bhh = randn([G * H], d);
        const whr = proj ? randn([R, H], d) : null;
        const h0 = randn([3, R], d);
        const c0 = mode === "LSTM" ? randn([3, H], d) : null;
        const inputs = [x, wih, bih, whh, bhh, ...(whr ? [whr] : []), h0, ...(c0 ? [c0] : [])];
        const fn = (...xs: Tensor[]) => {
          let k = 0;
          const [xi, wi, bi, wh, bh] = [xs[k++]!, xs[k++]!, xs[k++]!, xs[k++]!, xs[k++]!];
          const wr = whr ? xs[k++]! : null;
          const s = [xs[k++]!, ...(c0 ? [xs[k++]!] : [])];
          const w: CellWeights = { weightIh: wi, weightHh: wh, biasIh: bi, biasHh: bh, weightHr: wr };
          const r = runSequence(mode, xi, batchSizes, s, w, reverse);
          return [r.output, ...r.final];
        };
        expect(gradcheck(fn, inputs, { eps: 1e-6, atol: 1e-6, rtol: 1e-4 })).toBe(true);
      });
    }
  }
});

describe("fused recurrent sequence workspaces", () => {
  // Buffers handed back to the pool keep their old values; a NaN-poisoned pool shows any read
  // of a workspace element before the sequence writes it.
  function poisonPool(sizes: number[]): void {
    for (const n of sizes) {
      const bufs = [0, 1, 2, 3].map(() => takeWorkspace("float32", n));
      for (const b of bufs) b.fill(Number.NaN);
      releaseWorkspace(...bufs);
    }
  }
  const cases: [string, () => Layer, number, number][] = [
    ["LSTM H32 2 layers bidirectional", () => new LSTM(6, 32, { numLayers: 2, bidirectional: true }), 4, 32],
    ["LSTM H40 projSize 24", () => new LSTM(6, 40, { projSize: 24 }), 4, 40],
    ["GRU H48 2 layers", () => new GRU(6, 48, { numLayers: 2 }), 3, 48],
    ["RNN tanh H64", () => new RNN(6, 64), 1, 64],
  ];
  for (const [name, make, G, H] of cases) {
    it(`${name}: stale pooled buffers never leak into values or gradients, step after step`, () => {
      const N = 5 * 8;
      const sizes = [N * G * H, N * H, N * 24, 8 * G * H, 8 * H];
      for (let step = 0; step < 3; step++) {
        poisonPool(sizes);
        runBoth(make, () => {
          const x = randn([5, 8, 6], { requiresGrad: true });
          return { x, leaves: [x] };
        }, step !== 1);
        poisonPool(sizes);
        manualSeed(2);
        const m = make();
        const x = randn([5, 8, 6]);
        const out = noGrad(() => (m instanceof LSTM ? m.forward(x)[0] : (m as RNN).forward(x)[0])) as Tensor;
        expect(out.data().every((v) => Number.isFinite(v))).toBe(true);
      }
    });
  }
});

describe("fused recurrent sequence with a retained graph", () => {
  for (const [name, make] of bulkConfigs) {
    it(`${name}: a second backward through a retained graph adds the same gradients again`, () => {
      manualSeed(12);
      const m = make();
      const x = randn(m.batchFirst ? [8, 5, m.inputSize] : [5, 8, m.inputSize], { requiresGrad: true });
      const out = m instanceof LSTM ? m.forward(x)[0] : (m as RNN).forward(x)[0];
      const loss = (out as Tensor).square().sum();
      loss.backward(undefined, { retainGraph: true });
      const once = [x, ...m.parameters()].map((t) => Array.from(t.grad!.data()));
      // Other sequences run in between and may take pooled buffers.
      for (let k = 0; k < 2; k++) {
        if (m instanceof LSTM) m.forward(x);
        else (m as RNN).forward(x);
      }
      loss.backward();
      [x, ...m.parameters()].forEach((t, i) => {
        const twice = t.grad!.data();
        once[i]!.forEach((v, j) => expect(Math.abs(twice[j]! - 2 * v)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v))));
      });
      expect(() => loss.backward()).toThrow("second time");
    });
  }
});
