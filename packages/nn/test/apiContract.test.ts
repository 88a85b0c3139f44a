import { describe, expect, expectTypeOf, it } from "vitest";
import { manualSeed, randn, tensor, zeros, type Tensor } from "@rnnkit/autograd";
import { GRU, GRUCell, LSTM, LSTMCell, Linear, Module, PackedSequence, Parameter, RNN, RNNCell, Sequential, utils } from "@rnnkit/nn";

const { packSequence, packPaddedSequence, padPackedSequence, padSequence } = utils.rnn;

describe("nn API contract: forward signatures and their types", () => {
  it("cells: RNNCell/GRUCell give h, LSTMCell gives [h, c], state optional", () => {
    manualSeed(0);
    const x = randn([2, 3]);
    const h = new RNNCell(3, 4, { nonlinearity: "relu" }).forward(x);
    expectTypeOf(h).toEqualTypeOf<Tensor>();
    expect(new GRUCell(3, 4).forward(x, h).shape).toEqual([2, 4]);
    const [h1, c1] = new LSTMCell(3, 4, { bias: false }).forward(x);
    expectTypeOf(c1).toEqualTypeOf<Tensor>();
    expect([h1.shape, c1.shape]).toEqual([[2, 4], [2, 4]]);
  });

  it("RNN/GRU/LSTM return a Tensor output for a Tensor and a PackedSequence for a PackedSequence", () => {
    manualSeed(0);
    const seqs = [randn([3, 2]), randn([1, 2]), randn([2, 2])];
    const packed = packSequence(seqs, { enforceSorted: false });
    const rnn = new RNN(2, 4, { numLayers: 2, nonlinearity: "tanh", bidirectional: true });
    const [ro, rh] = rnn.forward(packed);
    expectTypeOf(ro).toEqualTypeOf<PackedSequence>();
    expectTypeOf(rh).toEqualTypeOf<Tensor>();
    expect(ro).toBeInstanceOf(PackedSequence);
    expect(rh.shape).toEqual([4, 3, 4]);
    const [go, gh] = new GRU(2, 4, { batchFirst: true }).forward(padSequence(seqs, { batchFirst: true }));
    expectTypeOf(go).toEqualTypeOf<Tensor>();
    expect([go.shape, gh.shape]).toEqual([[3, 3, 4], [1, 3, 4]]);
    const lstm = new LSTM(2, 4, { projSize: 3, numLayers: 2 });
    const [lo, [lh, lc]] = lstm.forward(packed, [zeros([2, 3, 3]), zeros([2, 3, 4])]);
    expectTypeOf(lo).toEqualTypeOf<PackedSequence>();
    expectTypeOf(lc).toEqualTypeOf<Tensor>();
    expect([lh.shape, lc.shape]).toEqual([[2, 3, 3], [2, 3, 4]]);
    const [padded, lengths] = padPackedSequence(lo, { batchFirst: true, totalLength: 4, paddingValue: -1 });
    expect(padded.shape).toEqual([3, 4, 3]);
    expect(lengths.toArray()).toEqual([3, 1, 2]);
    const [to, [th]] = lstm.forward(randn([5, 2]));
    expectTypeOf(to).toEqualTypeOf<Tensor>();
    expect([to.shape, th.shape]).toEqual([[5, 3], [2, 3]]);
    const p2 = packPaddedSequence(randn([3, 2, 2]), [2, 1, 1], { batchFirst: true, enforceSorted: true });
    expect(p2.batchSizes.toArray()).toEqual([3, 1]);
  });

  it("Module methods of the contract", () => {
    manualSeed(0);
    const net = new Sequential(new Linear(2, 3), new Linear(3, 1, { bias: false }));
    expect(net.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "1.weight"]);
    expect(net.parameters().every((p) => p instanceof Parameter)).toBe(true);
    expect(net.children().length).toBe(2);
    expect(net.eval().training).toBe(false);
    expect(net.train().training).toBe(true);
    const sd = net.stateDict();
    expectTypeOf(sd).toEqualTypeOf<Record<string, Tensor>>();
    expect(Object.keys(sd)).toEqual(["0.weight", "0.bias", "1.weight"]);
    const other = new Sequential(new Linear(2, 3), new Linear(3, 1, { bias: false }));
    other.loadStateDict(sd);
    expect(other.stateDict()["1.weight"]?.toArray()).toEqual(sd["1.weight"]?.toArray());
    expect(() => other.loadStateDict({ "0.weight": sd["0.weight"]! })).toThrow(/Missing key\(s\) in state_dict: "0.bias", "1.weight"/);
    expect(other.loadStateDict({ "0.weight": sd["0.weight"]! }, { strict: false }).missingKeys).toEqual(["0.bias", "1.weight"]);
    const seen: string[] = [];
    net.apply((m: Module) => { seen.push(m.constructor.name); });
    expect(seen).toEqual(["Linear", "Linear", "Sequential"]);
    net.forward(randn([4, 2])).sum().backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null || p.grad.abs().sum().item() === 0)).toBe(true);
  });

  it("clipGradNorm returns the total norm before clipping (a number; Infinity gives the max norm)", () => {
    const p = new Parameter(tensor([3, -4]));
    p.grad = tensor([3, -4]);
    const total: number = utils.clipGradNorm([p], 100, Infinity);
    expect(total).toBe(4);
    expect(utils.clipGradNorm([p], 1)).toBe(5);
    expect(Array.from(p.grad.data(), (v) => Math.round(v * 1e5) / 1e5)).toEqual([0.6, -0.8]);
  });
});
