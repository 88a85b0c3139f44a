import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualSeed, Tensor } from "@rnnkit/autograd";
import { GRU, LSTM, RNN, RNNBase, utils } from "@rnnkit/nn";
import { buildModule, describeEachBackend, expectClose, expectParamGrads, fromFixture, loadFixture, stateDictFrom, type FixtureTensor } from "./recurrentHelpers.js";

interface LayerCase {
  name: string;
  kind: "RNN" | "LSTM" | "GRU";
  inputSize: number;
  hiddenSize: number;
  options: Record<string, unknown>;
  train: boolean;
  seed: number | null;
  stateDict: Record<string, FixtureTensor>;
  input: FixtureTensor;
  h0: FixtureTensor | null;
  c0: FixtureTensor | null;
  output: FixtureTensor;
  hn: FixtureTensor;
  cn: FixtureTensor | null;
  gradOutput: FixtureTensor;
  gradHn: FixtureTensor;
  gradCn: FixtureTensor | null;
  grads: Record<string, FixtureTensor>;
  lengths: number[] | null;
  enforceSorted?: boolean;
  outputPadded?: FixtureTensor;
  outputLengths?: FixtureTensor;
  batchSizes?: FixtureTensor;
  sortedIndices?: FixtureTensor | null;
  unsortedIndices?: FixtureTensor | null;
}

const { cases } = loadFixture<{ cases: LayerCase[] }>("rnn_layers.json");

function runCase(c: LayerCase): void {
  const m = buildModule(c.kind, c.inputSize, c.hiddenSize, c.options) as RNN | LSTM | GRU;
  m.loadStateDict(stateDictFrom(c.stateDict));
  m.train(c.train);
  const x = fromFixture(c.input, { requiresGrad: true });
  const h0 = c.h0 ? fromFixture(c.h0, { requiresGrad: true }) : null;
  const c0 = c.c0 ? fromFixture(c.c0, { requiresGrad: true }) : null;
  const batchFirst = c.options.batchFirst === true;
  const packed = c.lengths ? utils.rnn.packPaddedSequence(x, c.lengths, { batchFirst, enforceSorted: c.enforceSorted ?? true }) : null;
  const input = packed ?? x;
  if (c.seed !== null) manualSeed(c.seed);

  let out: Tensor | utils.rnn.PackedSequence;
  let hn: Tensor;
  let cn: Tensor | null = null;
  if (m instanceof LSTM) {
    const [o, [h, cc]] = m.forward(input, h0 && c0 ? [h0, c0] : undefined);
    out = o;
    hn = h;
    cn = cc;
  } else {
    [out, hn] = m.forward(input, h0 ?? undefined);
  }

  let outData: Tensor;
  if (packed) {
    expect(out).toBeInstanceOf(utils.rnn.PackedSequence);
    const p = out as utils.rnn.PackedSequence;
    outData = p.data;
    expectClose(p.batchSizes, c.batchSizes!, "batchSizes");
    if (c.sortedIndices) expectClose(p.sortedIndices, c.sortedIndices, "sortedIndices");
    else expect(p.sortedIndices).toBeNull();
    if (c.unsortedIndices) expectClose(p.unsortedIndices, c.unsortedIndices, "unsortedIndices");
    const [padded, lengths] = utils.rnn.padPackedSequence(p, { batchFirst });
    expectClose(padded, c.outputPadded!, "padded output");
    expectClose(lengths, c.outputLengths!, "output lengths");
  } else {
    outData = out as Tensor;
  }
  expectClose(outData, c.output, "output");
  expectClose(hn, c.hn, "hn");
  if (c.cn) expectClose(cn, c.cn, "cn");

  let loss = outData.mul(fromFixture(c.gradOutput)).sum().add(hn.mul(fromFixture(c.gradHn)).sum());
  if (cn && c.gradCn) loss = loss.add(cn.mul(fromFixture(c.gradCn)).sum());
  loss.backward();
  expectClose(x.grad, c.grads.input!, "grad of input");
  if (h0) expectClose(h0.grad, c.grads.h0!, "grad of h0");
  if (c0) expectClose(c0.grad, c.grads.c0!, "grad of c0");
  expectParamGrads(m, c.grads, "params");
}

for (const kind of ["RNN", "LSTM", "GRU"] as const) {
  describeEachBackend(`${kind} matches torch (outputs, final states, gradients)`, () => {
    for (const c of cases.filter((x) => x.kind === kind)) {
      it(c.name, () => runCase(c));
    }
  });
}

// The per-step path (cell step functions in a time loop) is the reference the fused sequence
// op is checked against; it must match torch on its own too.
describe("the per-step reference path matches torch", () => {
  let prev = RNNBase.fused;
  beforeAll(() => {
    prev = RNNBase.fused;
    RNNBase.fused = false;
  });
  afterAll(() => {
    RNNBase.fused = prev;
  });
  for (const c of cases) it(c.name, () => runCase(c));
});
