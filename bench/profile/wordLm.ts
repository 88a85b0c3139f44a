// W7 (the shrunk word_language_model training step) split by phase: mean ms per step of each part.
// argv = [wasm|js] [steps]. Run from bench/: npx tsx --conditions=@rnnkit/source profile/wordLm.ts wasm 20
import * as rk from "rnnkit";
import { setBackend } from "@rnnkit/tensor";
import { wordLmStep } from "../src/wordLm.js";

setBackend(process.argv[2] === "js" ? "js" : "wasm");
const steps = Number(process.argv[3] ?? 20);
const names = ["zeroGrad", "embedding", "lstm", "decoder", "logSoftmax+nll", "backward", "clip", "sgd"];
const acc = new Float64Array(names.length);
const { phases } = wordLmStep(rk);
for (let r = 0; r < steps + 3; r++) {
  const t = phases();
  if (r >= 3) for (let i = 0; i < names.length; i++) acc[i]! += t[i + 1]! - t[i]!;
}
const total = acc.reduce((a, b) => a + b, 0);
console.log(names.map((n, i) => `${n} ${(acc[i]! / steps).toFixed(2)}`).join(", "), `| total ${(total / steps).toFixed(1)} ms/step`);
