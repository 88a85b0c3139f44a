import { wordOrigin } from "@rnnkit/dataset-word-origin";
import * as rk from "rnnkit";
import type { PlaygroundConfig } from "./config.js";
import { torchExportProblem } from "./torchExportProblem.js";

function json<T>(metadata: Record<string, string>, key: string): T {
  const raw = metadata[key];
  if (raw === undefined) throw new Error(`PyTorch export: the checkpoint has no "${key}" metadata`);
  return JSON.parse(raw) as T;
}

function tensor(tensors: Record<string, rk.Tensor>, name: string): rk.Tensor {
  const t = tensors[name];
  if (!t) throw new Error(`PyTorch export: the checkpoint has no tensor "${name}"`);
  return t;
}

/**
 * The spec of the project for a playground checkpoint (`encodeCheckpoint`'s bytes) trained with
 * `config` (whose `text` is the text task's data). Weights are renamed to rnnkit's models
 * (`embedding.` → `embed.`, `fc.` → `head.`); the classifier's embedding gains the padding row 0
 * that rnnkit's classifier has (its characters move to ids 1…).
 */
export function torchProjectSpec(checkpoint: Uint8Array, config: PlaygroundConfig): rk.torchExport.TorchProjectSpec {
  const problem = torchExportProblem(config);
  if (problem) throw new Error(`PyTorch export: ${problem}`);
  const { tensors, metadata } = rk.io.loadSafetensors(checkpoint);
  const symbols = json<string[]>(metadata, "symbols");
  const model: rk.torchExport.CellKind = config.cell === "lstm" ? "lstm" : config.cell === "gru" ? "gru" : "rnn";
  const sizes = { model, embedding: config.embeddingDim, hidden: config.hiddenSize, layers: config.numLayers } as const;
  const state: Record<string, rk.Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) if (k.startsWith("rnn.")) state[k] = t;
  state["head.weight"] = tensor(tensors, "fc.weight");
  state["head.bias"] = tensor(tensors, "fc.bias");
  const embedding = tensor(tensors, "embedding.weight");
  if (config.task === "text") {
    const cfg = { ...sizes, vocabSize: symbols.length, dropout: 0 };
    state["embed.weight"] = embedding;
    const init = rk.io.saveSafetensors(state, { format: "rnnkit.charlm", config: JSON.stringify(cfg), vocab: JSON.stringify(symbols) });
    return {
      kind: "charlm", config: cfg, vocab: symbols, text: config.text, init,
      options: {
        data: null, ...sizes, dropout: 0, seqLen: config.seqLen, batchSize: config.batchSize, epochs: 2, steps: null,
        lr: config.lr, optimizer: config.optimizer, scheduler: "none", clip: 1, valSplit: 0.1, seed: config.seed, sampleLength: 0,
      },
      rng: JSON.stringify({ default: new rk.Generator(config.seed).getState() }),
    };
  }
  const labels = json<string[]>(metadata, "labelNames");
  const lowercase = symbols.every((s) => s.toLowerCase() === s);
  const cfg = { ...sizes, vocabSize: symbols.length + 1, numClasses: labels.length, lowercase };
  state["embed.weight"] = rk.cat([rk.zeros([1, config.embeddingDim]), embedding], 0);
  const init = rk.io.saveSafetensors(state, {
    format: "rnnkit.classifier", config: JSON.stringify(cfg), vocab: JSON.stringify(symbols), labels: JSON.stringify(labels),
  });
  const examples = (split: "train" | "test"): rk.torchExport.LabelledText[] => {
    const ds = wordOrigin({ split, seed: config.seed });
    return ds.words.map((text, i) => ({ text, label: labels[ds.labels[i]!]! }));
  };
  return {
    kind: "classifier", config: cfg, vocab: symbols, labels, init, source: "bundled:word-origin (playground split)",
    options: { epochs: 5, batchSize: config.batchSize, lr: config.lr, seed: config.seed, clip: 5 },
    data: { train: examples("train"), val: examples("test") },
  };
}

/**
 * A zip (store-only) of the PyTorch DDP project that continues the playground model saved in
 * `checkpoint`, in one folder; the name to download it under.
 * @example const { name, bytes } = torchProjectZip(checkpointBytes, state.activeConfig);
 */
export function torchProjectZip(checkpoint: Uint8Array, config: PlaygroundConfig): { name: string; bytes: Uint8Array } {
  const folder = `rnnkit-torch-${config.task}-${config.cell}`;
  const files = rk.torchExport.torchProject(torchProjectSpec(checkpoint, config));
  const entries: Record<string, string | Uint8Array> = {};
  for (const [k, v] of Object.entries(files)) entries[`${folder}/${k}`] = v;
  return { name: `${folder}.zip`, bytes: rk.torchExport.zipStore(entries) };
}
