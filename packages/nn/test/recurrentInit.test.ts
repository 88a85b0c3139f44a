import { describe, expect, it } from "vitest";
import { manualSeed } from "@rnnkit/autograd";
import { buildModule, expectClose, loadFixture, type FixtureTensor } from "./recurrentHelpers.js";

interface InitCase {
  kind: string;
  inputSize: number;
  hiddenSize: number;
  options: Record<string, unknown>;
  seed: number;
  names: string[];
  stateDict: Record<string, FixtureTensor>;
}
interface SequenceCase {
  kind: "sequence";
  seed: number;
  params: FixtureTensor[];
}

const { cases } = loadFixture<{ cases: (InitCase | SequenceCase)[] }>("rnn_init.json");
const EXACT = { atol: 0, rtol: 0 };

describe("recurrent default init equals torch's bit for bit", () => {
  for (const c of cases) {
    if (c.kind === "sequence") continue;
    const ic = c as InitCase;
    it(`${ic.kind}(${ic.inputSize}, ${ic.hiddenSize}, ${JSON.stringify(ic.options)}) seed ${ic.seed}`, () => {
      manualSeed(ic.seed);
      const m = buildModule(ic.kind, ic.inputSize, ic.hiddenSize, ic.options);
      expect(m.namedParameters().map(([n]) => n)).toEqual(ic.names);
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(Object.keys(ic.stateDict));
      for (const [k, v] of Object.entries(ic.stateDict)) expectClose(sd[k], v, k, EXACT);
    });
  }

  it("consecutive modules continue the same random stream", () => {
    const c = cases.find((x): x is SequenceCase => x.kind === "sequence")!;
    manualSeed(c.seed);
    const mods = [
      buildModule("LSTM", 3, 4, { numLayers: 2 }),
      buildModule("GRUCell", 2, 3, {}),
      buildModule("RNN", 4, 2, { bidirectional: true }),
    ];
    const params = mods.flatMap((m) => m.parameters());
    expect(params.length).toBe(c.params.length);
    params.forEach((p, i) => expectClose(p, c.params[i]!, `param ${i}`, EXACT));
  });
});
