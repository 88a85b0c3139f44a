import { manualSeed, noGrad, Generator, type Tensor } from "@rnnkit/autograd";
import { addingProblem, DataLoader, padCollate, Subset, textCorpus } from "@rnnkit/data";
import { kjvText } from "@rnnkit/dataset-kjv";
import { wordOrigin } from "@rnnkit/dataset-word-origin";
import { Embedding, GRU, Linear, LSTM, RNN, type RNNBase, utils } from "@rnnkit/nn";
import { describe, expect, it } from "vitest";
import { Adam, CrossEntropyLoss, MSELoss } from "../src/index.js";

// End-to-end training on the bundled datasets: small budgets, fixed seeds, outcomes far from chance.

describe("training on @rnnkit/data", () => {
  it("Embedding + GRU classifies word origin well above chance on held-out words", () => {
    manualSeed(0);
    const train = wordOrigin({ split: "train" });
    const test = wordOrigin({ split: "test" });
    const half = new Subset(train, Array.from({ length: train.length / 2 }, (_, i) => 2 * i));
    const emb = new Embedding(train.vocab.size, 16);
    const gru = new GRU(16, 32, { batchFirst: true });
    const fc = new Linear(32, train.labelNames.length);
    const opt = new Adam([...emb.parameters(), ...gru.parameters(), ...fc.parameters()], { lr: 0.01 });
    const ce = new CrossEntropyLoss();
    const logits = (padded: Tensor, lengths: Tensor): Tensor => {
      const packed = utils.rnn.packPaddedSequence(emb.forward(padded), lengths, { batchFirst: true });
      const [, hn] = gru.forward(packed);
      return fc.forward(hn.select(0, 0));
    };
    const collate = padCollate({ batchFirst: true, sort: true });
    const loader = new DataLoader(half, { batchSize: 64, shuffle: true, generator: new Generator(0), collate });
    const epochLoss: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      let total = 0;
      for (const { padded, lengths, target } of loader) {
        opt.zeroGrad();
        const loss = ce.forward(logits(padded, lengths), target!);
        loss.backward();
        opt.step();
        total += loss.item();
      }
      epochLoss.push(total / loader.length);
    }
    expect(epochLoss[1]!).toBeLessThan(epochLoss[0]!);
    let correct = 0;
    noGrad(() => {
      for (const { padded, lengths, target } of new DataLoader(test, { batchSize: 400, collate })) {
        const pred = logits(padded, lengths).argmax(1).data();
        const y = target!.data();
        for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) correct++;
      }
    });
    // 8 balanced classes: chance is 12.5%.
    expect(correct / test.length).toBeGreaterThan(0.5);
  }, 60_000);

  it("loss on the bundled text corpus falls", () => {
    manualSeed(0);
    const corpus = textCorpus(kjvText(), { seqLen: 32, valFraction: 0.05 });
    const v = corpus.vocab.size;
    const emb = new Embedding(v, 24);
    const lstm = new LSTM(24, 64, { batchFirst: true });
    const fc = new Linear(64, v);
    const opt = new Adam([...emb.parameters(), ...lstm.parameters(), ...fc.parameters()], { lr: 0.01 });
    const ce = new CrossEntropyLoss();
    const lossOf = (x: Tensor, y: Tensor): Tensor => {
      const [out] = lstm.forward(emb.forward(x));
      return ce.forward(fc.forward(out).reshape(-1, v), y.reshape(-1));
    };
    const val = new DataLoader(new Subset(corpus.val, Array.from({ length: 64 }, (_, i) => i)), { batchSize: 64 });
    const valLoss = (): number => noGrad(() => [...val].reduce((s, [x, y]) => s + lossOf(x!, y!).item(), 0) / val.length);
    const before = valLoss();
    const loader = new DataLoader(corpus.train, { batchSize: 32, shuffle: true, generator: new Generator(1) });
    let step = 0;
    for (const [x, y] of loader) {
      opt.zeroGrad();
      lossOf(x!, y!).backward();
      opt.step();
      if (++step === 40) break;
    }
    const after = valLoss();
    // The best a model blind to context can do: the training text's unigram cross-entropy on val.
    const counts = new Float64Array(v).fill(1);
    for (const id of corpus.vocab.encodeIds(corpus.text.slice(0, 200_000))) counts[id]! += 1;
    const total = counts.reduce((a, b) => a + b, 0);
    let unigram = 0;
    let n = 0;
    for (const [, y] of val) for (const id of y!.data()) { unigram -= Math.log(counts[id]! / total); n++; }
    unigram /= n;
    expect(before).toBeGreaterThan(Math.log(v) - 0.3);
    expect(after).toBeLessThan(unigram - 0.2);
    expect(after).toBeLessThan(before - 1.2);
  }, 60_000);

  // The adding problem at T = 50: predicting 1 always gives MSE ≈ 0.167.
  const addingTest = addingProblem({ count: 200, length: 50, seed: 999 });
  const trainAdding = (rnn: RNNBase, maxSteps: number): number[] => {
    const fc = new Linear(32, 1);
    const opt = new Adam([...rnn.parameters(), ...fc.parameters()], { lr: 0.01 });
    const mse = new MSELoss();
    const predict = (x: Tensor): Tensor => {
      const [out] = (rnn as RNN).forward(x);
      return fc.forward(out.select(1, 49));
    };
    const history: number[] = [];
    for (let step = 1; step <= maxSteps; step++) {
      const { inputs, targets } = addingProblem({ count: 16, length: 50, seed: step });
      opt.zeroGrad();
      mse.forward(predict(inputs), targets).backward();
      opt.step();
      if (step % 25 === 0) {
        history.push(noGrad(() => mse.forward(predict(addingTest.inputs), addingTest.targets).item()));
        if (history[history.length - 1]! < 0.02) break;
      }
    }
    return history;
  };

  it("an LSTM learns the adding problem (T = 50)", () => {
    manualSeed(1);
    const lstm = new LSTM(2, 32, { batchFirst: true });
    // Forget-gate bias 1 (Gers et al. 2000): the usual LSTM initialisation for long memory.
    noGrad(() => {
      for (const [name, p] of lstm.namedParameters()) if (name.startsWith("bias_ih")) p.value.data.fill(1, 32, 64);
    });
    const history = trainAdding(lstm, 1500);

    expect(history[0]!).toBeGreaterThan(0.1);
    expect(history[history.length - 1]!).toBeLessThan(0.02);
  }, 120_000); // ~30 s of CPU alone; headroom for a loaded machine

  it("a plain RNN fails on the same adding problem within the LSTM's budget", () => {
    manualSeed(1);
    const history = trainAdding(new RNN(2, 32, { batchFirst: true }), 800);
    expect(history.length).toBe(32);
    expect(Math.min(...history)).toBeGreaterThan(0.1);
  }, 60_000);
});
