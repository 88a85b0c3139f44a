import { describe, expect, it } from "vitest";
import { gradcheck, manualSeed, noGrad, randn, stack, tensor, zeros } from "@rnnkit/autograd";
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNBase, RNNCell, gruStep, inputGates, lstmStep, rnnReluStep, rnnTanhStep, splitAlong, utils, type CellStep } from "@rnnkit/nn";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("recurrent layers: structure", () => {
  it("registers torch's names in torch's order", () => {
    const lstm = new LSTM(3, 5, { numLayers: 2, bidirectional: true, projSize: 2 });
    expect(lstm.namedParameters().map(([n, p]) => `${n}:${p.shape.join("x")}`)).toEqual([
      "weight_ih_l0:20x3", "weight_hh_l0:20x2", "bias_ih_l0:20", "bias_hh_l0:20", "weight_hr_l0:2x5",
      "weight_ih_l0_reverse:20x3", "weight_hh_l0_reverse:20x2", "bias_ih_l0_reverse:20", "bias_hh_l0_reverse:20", "weight_hr_l0_reverse:2x5",
      "weight_ih_l1:20x4", "weight_hh_l1:20x2", "bias_ih_l1:20", "bias_hh_l1:20", "weight_hr_l1:2x5",
      "weight_ih_l1_reverse:20x4", "weight_hh_l1_reverse:20x2", "bias_ih_l1_reverse:20", "bias_hh_l1_reverse:20", "weight_hr_l1_reverse:2x5",
    ]);
    expect(Object.keys(new GRU(2, 3, { bias: false }).stateDict())).toEqual(["weight_ih_l0", "weight_hh_l0"]);
    expect(Object.keys(new RNNCell(2, 3).stateDict())).toEqual(["weight_ih", "weight_hh", "bias_ih", "bias_hh"]);
    expect(new LSTM(3, 4, { numLayers: 2, bidirectional: true }).allWeights.map((w) => w.length)).toEqual([4, 4, 4, 4]);
  });

  it("gives torch's output shapes for every layout", () => {
    const lstm = new LSTM(3, 6, { numLayers: 2, bidirectional: true, batchFirst: true, projSize: 4 });
    const [out, [hn, cn]] = lstm.forward(randn([5, 7, 3]));
    expect([out.shape, hn.shape, cn.shape]).toEqual([[5, 7, 8], [4, 5, 4], [4, 5, 6]]);
    const [o2, h2] = new GRU(3, 6, { numLayers: 3 }).forward(randn([7, 3]));
    expect([o2.shape, h2.shape]).toEqual([[7, 6], [3, 6]]);
    const [o3, h3] = new RNN(3, 2, { bidirectional: true }).forward(randn([4, 1, 3]));
    expect([o3.shape, h3.shape]).toEqual([[4, 1, 4], [2, 1, 2]]);
  });

  it("records no graph under noGrad", () => {
    const lstm = new LSTM(3, 4);
    const [out] = noGrad(() => lstm.forward(randn([3, 2, 3], { requiresGrad: true })));
    expect(out.requiresGrad).toBe(false);
  });
});

describe("recurrent layers: consistency between paths", () => {
  it("a packed batch of full-length sequences equals the padded run", () => {
    manualSeed(3);
    const gru = new GRU(3, 4, { numLayers: 2, bidirectional: true });
    const x = randn([5, 3, 3]);
    const h0 = randn([4, 3, 4]);
    const [padded, hPadded] = gru.forward(x, h0);
    const [packed, hPacked] = gru.forward(utils.rnn.packPaddedSequence(x, [5, 5, 5]), h0);
    expect(maxAbsDiff(packed.data.data(), padded.reshape([15, 8]).data())).toBe(0);
    expect(maxAbsDiff(hPacked.data(), hPadded.data())).toBe(0);
  });

  it("a packed sequence's final state is its state at its own last step", () => {
    manualSeed(4);
    const lstm = new LSTM(2, 3);
    const seqs = [randn([4, 2]), randn([2, 2]), randn([3, 2])];
    const [, [hn, cn]] = lstm.forward(utils.rnn.packSequence(seqs, { enforceSorted: false }));
    seqs.forEach((s, b) => {
      const [, [h1, c1]] = lstm.forward(s);
      expect(maxAbsDiff(hn.select(1, b).data(), h1.squeeze(0).data())).toBeLessThan(1e-6);
      expect(maxAbsDiff(cn.select(1, b).data(), c1.squeeze(0).data())).toBeLessThan(1e-6);
    });
  });

  it("the cells run the same step as layer 0 of the multi-layer modules", () => {
    manualSeed(5);
    const lstm = new LSTM(3, 4);
    const cell = new LSTMCell(3, 4);
    cell.loadStateDict({
      weight_ih: lstm.stateDict().weight_ih_l0!, weight_hh: lstm.stateDict().weight_hh_l0!,
      bias_ih: lstm.stateDict().bias_ih_l0!, bias_hh: lstm.stateDict().bias_hh_l0!,
    });
    const x = randn([6, 2, 3]);
    const [out] = lstm.forward(x);
    let state: [ReturnType<typeof zeros>, ReturnType<typeof zeros>] = [zeros([2, 4]), zeros([2, 4])];
    const hs = x.unbind(0).map((xt) => (state = cell.forward(xt, state))[0]);
    expect(maxAbsDiff(stack(hs).data(), out.data())).toBeLessThan(1e-6);

    const gru = new GRU(3, 4);
    const gcell = new GRUCell(3, 4);
    const sd = gru.stateDict();
    gcell.loadStateDict({ weight_ih: sd.weight_ih_l0!, weight_hh: sd.weight_hh_l0!, bias_ih: sd.bias_ih_l0!, bias_hh: sd.bias_hh_l0! });
    let h = zeros([2, 4]);
    const gs = x.unbind(0).map((xt) => (h = gcell.forward(xt, h)));
    expect(maxAbsDiff(stack(gs).data(), gru.forward(x)[0].data())).toBeLessThan(1e-6);
  });

  it("exposes pure step functions", () => {
    const cell = new GRUCell(2, 3);
    const w = cell.cellWeights();
    const x = randn([4, 2]);
    const h = randn([4, 3]);
    const a = gruStep(inputGates(x, w), [h], w)[0]!.data();
    const b = gruStep(inputGates(x, w), [h], w)[0]!.data();
    expect(Array.from(a)).toEqual(Array.from(b));
    // The per-op path runs the step function itself; the fused one-step sequence agrees to rounding.
    RNNBase.fused = false;
    try {
      expect(maxAbsDiff(a, cell.forward(x, h).data())).toBe(0);
    } finally {
      RNNBase.fused = true;
    }
    expect(maxAbsDiff(a, cell.forward(x, h).data())).toBeLessThan(1e-6);
    expect(() => lstmStep(inputGates(x, new LSTMCell(2, 3).cellWeights()), [h], w)).toThrow("lstmStep: expected a state of 2 tensor(s), got 1");
  });

  it("dropout only acts in training mode and only between layers", () => {
    manualSeed(6);
    const rnn = new RNN(3, 4, { numLayers: 2, dropout: 0.5 });
    const x = randn([4, 2, 3]);
    rnn.eval();
    const [evalOut] = rnn.forward(x);
    const [evalOut2] = rnn.forward(x);
    expect(Array.from(evalOut.data())).toEqual(Array.from(evalOut2.data()));
    rnn.train();
    const [trainOut] = rnn.forward(x);
    expect(maxAbsDiff(trainOut.data(), evalOut.data())).toBeGreaterThan(1e-3);
    const single = new RNN(3, 4, { dropout: 0.9 });
    const [a] = single.forward(x);
    const [b] = single.eval().forward(x);
    expect(Array.from(a.data())).toEqual(Array.from(b.data()));
  });
});

describe("splitAlong", () => {
  it("splits and sends gradients back in one piece", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const [a, b] = splitAlong(x, 1, [1, 2]);
    expect(a!.toArray()).toEqual([[1], [4]]);
    expect(b!.toArray()).toEqual([[2, 3], [5, 6]]);
    b!.mul(tensor([[1, 2], [3, 4]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 1, 2], [0, 3, 4]]);
    expect(() => splitAlong(x, 0, [1, 2])).toThrow("splitAlong: sizes [1, 2] sum to 3, but dim 0 of shape [2, 3] has size 2");
  });
});

describe("finite-difference gradients (float64) of the step functions and packing", () => {
  const w64 = (shape: number[]) => randn(shape, { dtype: "float64", requiresGrad: true });
  it("lstmStep with a projection, gruStep, rnnTanhStep, rnnReluStep", () => {
    manualSeed(10);
    const [b, inp, hid, proj] = [3, 2, 4, 2];
    const x = w64([b, inp]);
    const check = (step: CellStep, gates: number, stateSizes: number[], withProj: boolean) => {
      const real = withProj ? proj : hid;
      const inputs = [x, ...stateSizes.map((s) => w64([b, s])), w64([gates * hid, inp]), w64([gates * hid, real]), w64([gates * hid]), w64([gates * hid])];
      if (withProj) inputs.push(w64([proj, hid]));
      const n = stateSizes.length;
      expect(gradcheck((xi, ...rest) => {
        const w = { weightIh: rest[n]!, weightHh: rest[n + 1]!, biasIh: rest[n + 2]!, biasHh: rest[n + 3]!, weightHr: withProj ? rest[n + 4]! : null };
        return step(inputGates(xi, w), rest.slice(0, n), w);
      }, inputs)).toBe(true);
    };
    check(lstmStep, 4, [proj, hid], true);
    check(lstmStep, 4, [hid, hid], false);
    check(gruStep, 3, [hid], false);
    check(rnnTanhStep, 1, [hid], false);
    check(rnnReluStep, 1, [hid], false);
  });

  it("packPaddedSequence, padPackedSequence, padSequence and splitAlong", () => {
    manualSeed(11);
    const x = w64([4, 3, 2]);
    expect(gradcheck((t) => {
      const p = utils.rnn.packPaddedSequence(t, [2, 4, 1], { enforceSorted: false });
      return [p.data, utils.rnn.padPackedSequence(p, { totalLength: 5, paddingValue: 3 })[0]];
    }, [x])).toBe(true);
    expect(gradcheck((a, c) => utils.rnn.padSequence([a, c], { batchFirst: true }), [w64([3, 2]), w64([1, 2])])).toBe(true);
    expect(gradcheck((t) => splitAlong(t, 1, [1, 0, 2]), [w64([2, 3])])).toBe(true);
  });
});
