/**
 * Samples text from a model trained by main.ts: pytorch/examples word_language_model/generate.py
 * ported to rnnkit (temperature-scaled sampling with multinomial, one word at a time).
 * Run: pnpm --filter @rnnkit/example-word-language-model generate -- --words 100 --temperature 0.8
 */
import { writeFileSync } from "node:fs";
import * as rk from "rnnkit";
import { cliOptions } from "./cli.js";
import { loadCheckpoint } from "./checkpoint.js";

const args = cliOptions({
  checkpoint: { type: "string", default: "model.safetensors" },
  outf: { type: "string", default: "generated.txt" },
  words: { type: "string", default: "1000" },
  seed: { type: "string", default: "1111" },
  temperature: { type: "string", default: "1.0" },
  "log-interval": { type: "string", default: "100" },
});
const temperature = Number(args.temperature);
if (!(temperature >= 1e-3)) throw new Error(`generate: --temperature has to be greater or equal 1e-3, got ${args.temperature}`);
const words = Number(args.words);
const logInterval = Number(args["log-interval"]);

rk.manualSeed(Number(args.seed));
const { model, dictionary } = loadCheckpoint(args.checkpoint!);
model.eval();
const ntokens = dictionary.length;
let hidden = model.initHidden(1);
const input = rk.randint(ntokens, [1, 1]);
const out: string[] = [];
rk.noGrad(() => {
  for (let i = 0; i < words; i++) {
    let output: rk.Tensor;
    [output, hidden] = model.forward(input, hidden);
    const wordWeights = output.squeeze().div(temperature).exp();
    const wordIdx = rk.multinomial(wordWeights, 1).item();
    input.fill_(wordIdx);
    out.push(dictionary.idx2word[wordIdx]! + (i % 20 === 19 ? "\n" : " "));
    if (i % logInterval === 0) console.log(`| Generated ${i}/${words} words`);
  }
});
writeFileSync(args.outf!, out.join(""));
console.log(out.join("").slice(0, 600));
