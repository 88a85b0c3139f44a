/**
 * Trains a word-level language model on the bundled King James text: pytorch/examples
 * word_language_model/main.py ported to rnnkit (same arguments, same loop, same output).
 * Run: pnpm --filter @rnnkit/example-word-language-model train -- --epochs 6 --tied
 */
import { kjvText } from "@rnnkit/dataset-kjv";
import * as rk from "rnnkit";
import { cliOptions } from "./cli.js";
import { batchify, Corpus } from "./data.js";
import { buildModel, loadCheckpoint, saveCheckpoint, type ModelConfig } from "./checkpoint.js";
import type { RNNType } from "./model.js";
import { evaluate, trainEpoch } from "./train.js";

const args = cliOptions({
  model: { type: "string", default: "LSTM" },
  emsize: { type: "string", default: "200" },
  nhid: { type: "string", default: "200" },
  nlayers: { type: "string", default: "2" },
  lr: { type: "string", default: "20" },
  clip: { type: "string", default: "0.25" },
  epochs: { type: "string", default: "40" },
  "batch-size": { type: "string", default: "20" },
  bptt: { type: "string", default: "35" },
  dropout: { type: "string", default: "0.2" },
  tied: { type: "boolean", default: false },
  seed: { type: "string", default: "1111" },
  "log-interval": { type: "string", default: "200" },
  save: { type: "string", default: "model.safetensors" },
  "dry-run": { type: "boolean", default: false },
});
const num = (k: keyof typeof args): number => {
  const v = Number(args[k]);
  if (!Number.isFinite(v)) throw new Error(`main: --${k} must be a number, got ${String(args[k])}`);
  return v;
};

// Set the random seed manually for reproducibility.
rk.manualSeed(num("seed"));

const corpus = new Corpus(kjvText());
const batchSize = num("batch-size");
const evalBatchSize = 10;
const trainData = batchify(corpus.train, batchSize);
const valData = batchify(corpus.valid, evalBatchSize);
const testData = batchify(corpus.test, evalBatchSize);

const config: ModelConfig = {
  model: args.model as RNNType,
  ntokens: corpus.dictionary.length,
  emsize: num("emsize"),
  nhid: num("nhid"),
  nlayers: num("nlayers"),
  dropout: num("dropout"),
  tied: args.tied ?? false,
};
const model = buildModel(config);
console.log(`vocab size (${config.ntokens}), ${corpus.train.size(0)} training tokens`);
console.log(String(model));

const bptt = num("bptt");
let lr = num("lr");
let bestValLoss: number | null = null;
const pad = (s: string | number, n: number) => String(s).padStart(n);
for (let epoch = 1; epoch <= num("epochs"); epoch++) {
  const epochStart = performance.now();
  trainEpoch(model, trainData, {
    lr,
    bptt,
    batchSize,
    clip: num("clip"),
    logInterval: num("log-interval"),
    ...(args["dry-run"] ? { maxBatches: 1 } : {}),
    onLog: (batch, batches, loss, ms) =>
      console.log(
        `| epoch ${pad(epoch, 3)} | ${pad(batch, 5)}/${pad(batches, 5)} batches | lr ${lr.toFixed(2)} | ms/batch ${ms.toFixed(2).padStart(5)} | ` +
          `loss ${loss.toFixed(2).padStart(5)} | ppl ${Math.exp(loss).toFixed(2).padStart(8)}`,
      ),
  });
  const valLoss = evaluate(model, valData, bptt);
  console.log("-".repeat(89));
  console.log(
    `| end of epoch ${pad(epoch, 3)} | time: ${((performance.now() - epochStart) / 1000).toFixed(2).padStart(5)}s | ` +
      `valid loss ${valLoss.toFixed(2).padStart(5)} | valid ppl ${Math.exp(valLoss).toFixed(2).padStart(8)}`,
  );
  console.log("-".repeat(89));
  // Save the model if the validation loss is the best so far; otherwise anneal the learning rate.
  if (bestValLoss === null || valLoss < bestValLoss) {
    saveCheckpoint(args.save!, model, config, corpus.dictionary);
    bestValLoss = valLoss;
  } else {
    lr /= 4;
  }
  if (args["dry-run"]) break;
}

// Load the best saved model and run it on the test data.
const best = loadCheckpoint(args.save!).model;
const testLoss = evaluate(best, testData, bptt);
console.log("=".repeat(89));
console.log(`| End of training | test loss ${testLoss.toFixed(2).padStart(5)} | test ppl ${Math.exp(testLoss).toFixed(2).padStart(8)}`);
console.log("=".repeat(89));
