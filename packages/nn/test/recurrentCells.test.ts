import { it } from "vitest";
import { stack, Tensor } from "@rnnkit/autograd";
import { GRUCell, LSTMCell, RNNCell } from "@rnnkit/nn";
import { buildModule, describeEachBackend, expectClose, expectParamGrads, fromFixture, loadFixture, stateDictFrom, type FixtureTensor } from "./recurrentHelpers.js";

interface CellCase {
  name: string;
  kind: "RNNCell" | "LSTMCell" | "GRUCell";
  inputSize: number;
  hiddenSize: number;
  options: Record<string, unknown>;
  stateDict: Record<string, FixtureTensor>;
  input: FixtureTensor;
  h0: FixtureTensor | null;
  c0: FixtureTensor | null;
  hs: FixtureTensor;
  c: FixtureTensor | null;
  gradHs: FixtureTensor;
  gradC: FixtureTensor | null;
  grads: Record<string, FixtureTensor>;
}

const { cases } = loadFixture<{ cases: CellCase[] }>("rnn_cells.json");

function runCase(c: CellCase): void {
  const m = buildModule(c.kind, c.inputSize, c.hiddenSize, c.options) as RNNCell | LSTMCell | GRUCell;
  m.loadStateDict(stateDictFrom(c.stateDict));
  const x = fromFixture(c.input, { requiresGrad: true });
  const h0 = c.h0 ? fromFixture(c.h0, { requiresGrad: true }) : null;
  const c0 = c.c0 ? fromFixture(c.c0, { requiresGrad: true }) : null;
  let h = h0;
  let cell = c0;
  const hs: Tensor[] = [];
  for (const xt of x.unbind(0)) {
    if (m instanceof LSTMCell) {
      [h, cell] = m.forward(xt, h && cell ? [h, cell] : undefined);
    } else {
      h = m.forward(xt, h);
    }
    hs.push(h);
  }
  const out = stack(hs);
  expectClose(out, c.hs, "hidden states");
  if (c.c) expectClose(cell, c.c, "final c");
  let loss = out.mul(fromFixture(c.gradHs)).sum();
  if (cell && c.gradC) loss = loss.add(cell.mul(fromFixture(c.gradC)).sum());
  loss.backward();
  expectClose(x.grad, c.grads.input!, "grad of input");
  if (h0) expectClose(h0.grad, c.grads.h0!, "grad of h0");
  if (c0) expectClose(c0.grad, c.grads.c0!, "grad of c0");
  expectParamGrads(m, c.grads, "params");
}

for (const kind of ["RNNCell", "LSTMCell", "GRUCell"] as const) {
  describeEachBackend(`${kind} matches torch`, () => {
    for (const c of cases.filter((x) => x.kind === kind)) it(c.name, () => runCase(c));
  });
}
