/**
 * Writes test/fixtures/rnn_rnnkit_written.safetensors (an rnnkit LSTM's state dict, saved by
 * rnnkit) and rnn_rnnkit_written.json (an input and rnnkit's outputs on it), which
 * tools/parity/rnn_checkpoints.py loads into PyTorch to check the file and the numbers.
 * Run from packages/nn: node --conditions=@rnnkit/source --import tsx test/recurrentCheckpointWriter.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { manualSeed, noGrad, randn, saveSafetensors, type Tensor } from "@rnnkit/autograd";
import { LSTM } from "@rnnkit/nn";

const config = { kind: "LSTM", inputSize: 3, hiddenSize: 4, options: { numLayers: 2, bidirectional: true }, seed: 31 };

function enc(t: Tensor): { shape: number[]; dtype: string; data: number[] } {
  return { shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data()) };
}

manualSeed(config.seed);
const lstm = new LSTM(config.inputSize, config.hiddenSize, config.options);
const x = randn([5, 2, config.inputSize]);
const [output, [hn]] = noGrad(() => lstm.forward(x));
const bytes = saveSafetensors(lstm.stateDict(), { format: "pt", rnnkit: JSON.stringify(config) });
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
writeFileSync(fixture("rnn_rnnkit_written.safetensors"), bytes);
writeFileSync(fixture("rnn_rnnkit_written.json"), `${JSON.stringify({ config, input: enc(x), output: enc(output), hn: enc(hn) })}\n`);
console.log(`wrote rnn_rnnkit_written.safetensors (${bytes.length} bytes) and rnn_rnnkit_written.json`);
