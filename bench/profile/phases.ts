// W1 (the tiny hello → ohlol network) split by phase: mean µs per step of each part of a training step.
import * as rk from "rnnkit";
import { setBackend } from "@rnnkit/tensor";

setBackend(process.argv[2] === "js" ? "js" : "wasm");
rk.manualSeed(0);
const emb = new rk.nn.Embedding(4, 10);
const rnn = new rk.nn.RNN(10, 8, { numLayers: 2, batchFirst: true });
const fc = new rk.nn.Linear(8, 4);
const opt = new rk.optim.Adam([...emb.parameters(), ...rnn.parameters(), ...fc.parameters()], { lr: 0.05 });
const lossFn = new rk.nn.CrossEntropyLoss();
const x = rk.tensor([[2, 0, 1, 1, 3]], { dtype: "int32" });
const y = rk.tensor([3, 2, 1, 3, 1], { dtype: "int32" });
const names = ["zeroGrad", "embedding", "rnn", "linear", "loss", "backward", "adam"];
const acc = new Float64Array(names.length);
const reps = 20000;
for (let r = 0; r < reps * 1.25; r++) {
  const t = [performance.now()];
  opt.zeroGrad();
  t.push(performance.now());
  const e = emb.forward(x);
  t.push(performance.now());
  const [out] = rnn.forward(e);
  t.push(performance.now());
  const logits = fc.forward(out.reshape([-1, 8]));
  t.push(performance.now());
  const loss = lossFn.forward(logits, y);
  t.push(performance.now());
  loss.backward();
  t.push(performance.now());
  opt.step();
  t.push(performance.now());
  if (r >= reps / 4) for (let i = 0; i < names.length; i++) acc[i]! += t[i + 1]! - t[i]!;
}
console.log(names.map((n, i) => `${n} ${((acc[i]! / reps) * 1000).toFixed(1)}µs`).join(", "), `| total ${((acc.reduce((a, b) => a + b, 0) / reps) * 1000).toFixed(1)}µs`);
