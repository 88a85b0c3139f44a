import { manualSeed, noGrad, type Tensor } from "@rnnkit/autograd";
import { addingProblem } from "@rnnkit/data";
import { LSTM, RNN, RNNBase } from "@rnnkit/nn";
import { Linear } from "../../nn/src/linear.js";
import { it } from "vitest";
import { Adam, MSELoss } from "../src/index.js";

function run(kind: "lstm" | "rnn", steps: number): void {
  manualSeed(1);
  const H = 32;
  const rnn: RNNBase = kind === "lstm" ? new LSTM(2, H, { batchFirst: true }) : new RNN(2, H, { batchFirst: true });
  const fc = new Linear(H, 1);
  const opt = new Adam([...rnn.parameters(), ...fc.parameters()], { lr: 0.01 });
  const mse = new MSELoss();
  const test = addingProblem({ count: 500, length: 50, seed: 999 });
  const f = (x: Tensor): Tensor => {
    const out = (rnn as LSTM).forward(x)[0] as Tensor;
    return fc.forward(out.select(1, 49));
  };
  const t0 = Date.now();
  for (let s = 0; s < steps; s++) {
    const { inputs, targets } = addingProblem({ count: 64, length: 50, seed: s });
    opt.zeroGrad();
    const loss = mse.forward(f(inputs), targets);
    loss.backward();
    opt.step();
    if (s % 100 === 99) {
      const tl = noGrad(() => mse.forward(f(test.inputs), test.targets).item());
      console.log(kind, s + 1, loss.item().toFixed(4), "test", tl.toFixed(4), Date.now() - t0);
    }
  }
}
it("lstm", () => run("lstm", 800), 600000);
it("rnn", () => run("rnn", 800), 600000);
