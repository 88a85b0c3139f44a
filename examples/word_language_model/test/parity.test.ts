import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kjvText } from "@rnnkit/dataset-kjv";
import * as rk from "rnnkit";
import { buildModel } from "../src/checkpoint.js";
import { batchify, Corpus } from "../src/data.js";
import { evaluate, trainEpoch } from "../src/train.js";

// The first 20 training steps of word_language_model agree with torch's (tools/parity/
// word_language_model.py): same seed → same initial weights and dropout masks → same losses.

interface Fixture {
  config: { emsize: number; nhid: number; nlayers: number; dropout: number; tied: boolean; lr: number; bptt: number; batchSize: number; steps: number; seed: number; evalBatchSize: number };
  ntokens: number;
  trainTokens: number;
  initSums: Record<string, number>;
  losses: number[];
  valLoss: number;
  valRows: number;
}
const fx = JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/wlm_steps.json", import.meta.url)), "utf8")) as Fixture;

describe("word_language_model matches torch step for step", () => {
  it("same corpus, same initial weights, same 20 losses and validation loss", () => {
    const c = fx.config;
    rk.manualSeed(c.seed);
    const corpus = new Corpus(kjvText());
    expect(corpus.dictionary.length).toBe(fx.ntokens);
    expect(corpus.train.size(0)).toBe(fx.trainTokens);
    const model = buildModel({ model: "LSTM", ntokens: fx.ntokens, emsize: c.emsize, nhid: c.nhid, nlayers: c.nlayers, dropout: c.dropout, tied: c.tied });
    const sums = Object.fromEntries(model.namedParameters().map(([n, p]) => [n, Array.from(p.data()).reduce((a, b) => a + b, 0)]));
    expect(Object.keys(sums)).toEqual(Object.keys(fx.initSums));
    for (const [n, s] of Object.entries(fx.initSums)) expect(sums[n], n).toBeCloseTo(s, 3);

    const losses = trainEpoch(model, batchify(corpus.train, c.batchSize), { lr: c.lr, bptt: c.bptt, batchSize: c.batchSize, clip: 0, maxBatches: c.steps });
    expect(losses).toHaveLength(c.steps);
    losses.forEach((l, i) => expect(Math.abs(l - fx.losses[i]!), `step ${i}: ${l} vs torch ${fx.losses[i]}`).toBeLessThan(5e-4));
    const val = evaluate(model, batchify(corpus.valid, c.evalBatchSize).narrow(0, 0, fx.valRows), c.bptt);
    expect(Math.abs(val - fx.valLoss)).toBeLessThan(5e-4);
  });
});
