import { describe, expect, it } from "vitest";
import * as rk from "rnnkit";

// The example of the root README and packages/rnnkit/README.md, kept runnable here.
describe("README example", () => {
  it("teaches an RNN to turn hello into ohlol", () => {
    const lines: string[] = [];
    const log = (s: string): void => void lines.push(s);
    // ---- README example start ----
    rk.manualSeed(0);
    const idx2char = ["e", "l", "h", "o"];
    const x = rk.tensor([[2, 0, 1, 1, 3]], { dtype: "int32" }); // "hello", (batch 1, seq 5)
    const y = rk.tensor([3, 2, 1, 3, 1], { dtype: "int32" });   // "ohlol"
    const emb = new rk.nn.Embedding(4, 10);
    const rnn = new rk.nn.RNN(10, 8, { numLayers: 2, batchFirst: true });
    const fc = new rk.nn.Linear(8, 4);
    const opt = new rk.optim.Adam([...emb.parameters(), ...rnn.parameters(), ...fc.parameters()], { lr: 0.05 });
    const lossFn = new rk.nn.CrossEntropyLoss();
    for (let epoch = 1; epoch <= 15; epoch++) {
      opt.zeroGrad();
      const [out] = rnn.forward(emb.forward(x));
      const scores = fc.forward(out).view(-1, 4); // (5, 4)
      const loss = lossFn.forward(scores, y);
      loss.backward();
      opt.step();
      const guess = Array.from(scores.argmax(1).data(), (i) => idx2char[i]).join("");
      log(`Predicted: ${guess}, Epoch [${epoch}/15] loss=${loss.item().toFixed(4)}`);
    }
    // ---- README example end ----
    expect(lines).toHaveLength(15);
    expect(lines[14]).toMatch(/^Predicted: ohlol, Epoch \[15\/15\] loss=0\.\d{4}$/);
  });
});
