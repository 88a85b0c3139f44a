import { manualSeed, noGrad, type Tensor } from "@rnnkit/autograd";
import { addingProblem } from "@rnnkit/data";
import { LSTM, RNN, RNNBase } from "@rnnkit/nn";
import { Linear } from "../../nn/src/linear.js";
import { it } from "vitest";
import { Adam, MSELoss } from "../src/index.js";

function run(kind: "lstm" | "rnn", steps: number, lr: number, H: number, B: number, seed: number): void {
  manualSeed(seed);
  const rnn: RNNBase = kind === "lstm" ? new LSTM(2, H, { batchFirst: true }) : new RNN(2, H, { batchFirst: true });
  if (kind === "lstm") {
    for (const [name, p] of rnn.namedParameters()) if (name.startsWith("bias_ih")) for (let j = H; j < 2 * H; j++) p.value.data[j] = 1;
  }
  const fc = new Linear(H, 1);
  const opt = new Adam([...rnn.parameters(), ...fc.parameters()], { lr });
  const mse = new MSELoss();
  const test = addingProblem({ count: 200, length: 50, seed: 999 });
  const f = (x: Tensor): Tensor => fc.forward(((rnn as LSTM).forward(x)[0] as Tensor).select(1, 49));
  const t0 = Date.now();
  for (let s = 0; s < steps; s++) {
    const { inputs, targets } = addingProblem({ count: B, length: 50, seed: s });
    opt.zeroGrad();
    const loss = mse.forward(f(inputs), targets);
    loss.backward();
    opt.step();
    if (s % 25 === 24) {
      const tl = noGrad(() => mse.forward(f(test.inputs), test.targets).item());
      console.log(kind, lr, H, B, seed, s + 1, "test", tl.toFixed(4), Date.now() - t0);
      if (tl < 0.05) return;
    }
  }
}
it("lstm", () => { run("lstm", +process.env.S!, +process.env.LR!, +process.env.H!, +process.env.B!, +process.env.SEED!); }, 600000);
