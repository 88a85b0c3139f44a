import { manualSeed, noGrad, type Tensor } from "@rnnkit/autograd";
import { addingProblem, DataLoader, padCollate, wordOrigin, Subset, textCorpus, kjvText } from "@rnnkit/data";
import { GRU, LSTM, RNN, Module, utils } from "@rnnkit/nn";
import { Linear } from "../../nn/src/linear.js";
import { Embedding } from "../../nn/src/embedding.js";
import { Generator } from "@rnnkit/tensor";
import { it } from "vitest";
import { Adam, CrossEntropyLoss, MSELoss } from "../src/index.js";

it("word origin", () => {
  manualSeed(0);
  const train = wordOrigin({ split: "train" });
  const test = wordOrigin({ split: "test" });
  const emb = new Embedding(train.vocab.size, 16);
  const gru = new GRU(16, 32, { batchFirst: true });
  const fc = new Linear(32, 8);
  const params = [...emb.parameters(), ...gru.parameters(), ...fc.parameters()];
  const opt = new Adam(params, { lr: 0.01 });
  const ce = new CrossEntropyLoss();
  const g = new Generator(0);
  const sub = new Subset(train, Array.from({ length: 12800 }, (_, i) => i).filter((i) => i % 2 === 0));
  const loader = new DataLoader(sub, { batchSize: 64, shuffle: true, generator: g, collate: padCollate({ batchFirst: true, sort: true }) });
  const forward = (padded: Tensor, lengths: Tensor): Tensor => {
    const packed = utils.rnn.packPaddedSequence(emb.forward(padded), lengths, { batchFirst: true });
    const [, hn] = gru.forward(packed);
    return fc.forward(hn.select(0, 0));
  };
  let t0 = Date.now();
  for (let epoch = 0; epoch < 3; epoch++) {
    let total = 0; let n = 0;
    for (const { padded, lengths, target } of loader) {
      opt.zeroGrad();
      const loss = ce.forward(forward(padded, lengths), target!);
      loss.backward();
      opt.step();
      total += loss.item(); n++;
    }
    console.log("epoch", epoch, total / n, Date.now() - t0);
  }
  const tl = new DataLoader(test, { batchSize: 400, collate: padCollate({ batchFirst: true, sort: true }) });
  let correct = 0;
  noGrad(() => {
    for (const { padded, lengths, target } of tl) {
      const pred = forward(padded, lengths).argmax(1).data();
      const y = target!.data();
      for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) correct++;
    }
  });
  console.log("acc", correct / test.length, Date.now() - t0);
});
