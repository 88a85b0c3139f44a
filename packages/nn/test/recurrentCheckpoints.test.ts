import { describe, expect, it } from "vitest";
import { loadSafetensors, manualSeed, noGrad, randn, saveSafetensors, type Tensor } from "@rnnkit/autograd";
import { GRU, LSTM, RNN } from "@rnnkit/nn";
import { buildModule, expectClose, fromFixture, loadBytes, loadFixture, type FixtureTensor } from "./recurrentHelpers.js";

interface CheckpointCase {
  name: string;
  file: string;
  kind: "RNN" | "LSTM" | "GRU";
  inputSize: number;
  hiddenSize: number;
  options: Record<string, unknown>;
  keys: string[];
  input: FixtureTensor;
  h0: FixtureTensor;
  c0: FixtureTensor | null;
  output: FixtureTensor;
  hn: FixtureTensor;
  cn: FixtureTensor | null;
}

const { cases } = loadFixture<{ cases: CheckpointCase[] }>("rnn_checkpoints.json");

function forward(m: RNN | LSTM | GRU, x: Tensor, h0: Tensor, c0: Tensor | null): { out: Tensor; hn: Tensor; cn: Tensor | null } {
  return noGrad(() => {
    if (m instanceof LSTM) {
      const [out, [hn, cn]] = m.forward(x, [h0, c0!]);
      return { out, hn, cn };
    }
    const [out, hn] = m.forward(x, h0);
    return { out, hn, cn: null };
  });
}

describe("PyTorch safetensors checkpoints load into rnnkit modules unchanged", () => {
  for (const c of cases) {
    it(`${c.name}: ${c.kind}(${c.inputSize}, ${c.hiddenSize}, ${JSON.stringify(c.options)})`, () => {
      const { tensors, metadata } = loadSafetensors(loadBytes(c.file));
      const config = JSON.parse(metadata.rnnkit!) as { kind: string; inputSize: number; hiddenSize: number; options: Record<string, unknown> };
      expect(config).toEqual({ kind: c.kind, inputSize: c.inputSize, hiddenSize: c.hiddenSize, options: c.options });
      expect(Object.keys(tensors).sort()).toEqual(c.keys);
      const m = buildModule(config.kind, config.inputSize, config.hiddenSize, config.options) as RNN | LSTM | GRU;
      expect(m.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      m.eval();
      const { out, hn, cn } = forward(m, fromFixture(c.input), fromFixture(c.h0), c.c0 ? fromFixture(c.c0) : null);
      expectClose(out, c.output, "output");
      expectClose(hn, c.hn, "hn");
      if (c.cn) expectClose(cn, c.cn, "cn");
    });
  }

  it("a checkpoint for another configuration is refused with the mismatched shapes", () => {
    const { tensors } = loadSafetensors(loadBytes("rnn_ckpt_lstm_proj.safetensors"));
    expect(() => new LSTM(4, 6, { numLayers: 2 }).loadStateDict(tensors)).toThrow(/size mismatch for weight_hh_l0: .*\[24, 3\].*\[24, 6\]/);
    expect(() => new LSTM(4, 6, { numLayers: 2, projSize: 3, bidirectional: true }).loadStateDict(tensors)).toThrow(/Missing key\(s\) in state_dict: "weight_ih_l0_reverse"/);
  });
});

describe("rnnkit-written checkpoints", () => {
  const written = loadFixture<{ config: { kind: string; inputSize: number; hiddenSize: number; options: Record<string, unknown>; seed: number }; input: FixtureTensor; output: FixtureTensor; hn: FixtureTensor }>("rnn_rnnkit_written.json");

  it("are byte-identical to the committed file PyTorch was checked to load", () => {
    const { config } = written;
    manualSeed(config.seed);
    const m = buildModule(config.kind, config.inputSize, config.hiddenSize, config.options) as LSTM;
    const x = randn([5, 2, config.inputSize]);
    expectClose(x, written.input, "input", { atol: 0, rtol: 0 });
    const bytes = saveSafetensors(m.stateDict(), { format: "pt", rnnkit: JSON.stringify(config) });
    expect(Buffer.from(bytes).equals(Buffer.from(loadBytes("rnn_rnnkit_written.safetensors")))).toBe(true);
    const [out, [hn]] = noGrad(() => m.forward(x));
    expectClose(out, written.output, "output");
    expectClose(hn, written.hn, "hn");
  });

  it("round-trip through save and load with the same outputs", () => {
    manualSeed(8);
    const gru = new GRU(3, 5, { numLayers: 2, bidirectional: true, batchFirst: true });
    const copy = new GRU(3, 5, { numLayers: 2, bidirectional: true, batchFirst: true });
    copy.loadStateDict(loadSafetensors(saveSafetensors(gru.stateDict())).tensors);
    const x = randn([2, 4, 3]);
    const [a] = noGrad(() => gru.forward(x));
    const [b] = noGrad(() => copy.forward(x));
    expect(Array.from(b.data())).toEqual(Array.from(a.data()));
  });
});
