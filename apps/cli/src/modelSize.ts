import { totalmem } from "node:os";
import type { CellKind } from "./charModel.js";
import { CliError } from "./errors.js";

const GATES: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

/** State-dict names and shapes of `kind`'s stacked layer under `prefix` (torch's layout). */
export function recurrentShapes(prefix: string, kind: CellKind, input: number, hidden: number, layers: number): Map<string, number[]> {
  const g = GATES[kind] * hidden;
  const out = new Map<string, number[]>();
  for (let k = 0; k < layers; k++) {
    out.set(`${prefix}weight_ih_l${k}`, [g, k === 0 ? input : hidden]);
    out.set(`${prefix}weight_hh_l${k}`, [g, hidden]);
    out.set(`${prefix}bias_ih_l${k}`, [g]);
    out.set(`${prefix}bias_hh_l${k}`, [g]);
  }
  return out;
}

/** Sizes that fix a model's parameters: `Embedding(vocab, embedding) → kind(hidden) × layers → Linear(hidden, outputs)`. */
export interface ModelSizes {
  model: CellKind;
  vocabSize: number;
  embedding: number;
  hidden: number;
  layers: number;
  /** Output classes: the vocabulary for a language model, the labels for a classifier. */
  outputs: number;
}

/** Every parameter's name and shape, as the CLI's models register them. */
export function modelShapes(s: ModelSizes): Map<string, number[]> {
  return new Map([
    ["embed.weight", [s.vocabSize, s.embedding]],
    ...recurrentShapes("rnn.", s.model, s.embedding, s.hidden, s.layers),
    ["head.weight", [s.outputs, s.hidden]],
    ["head.bias", [s.outputs]],
  ]);
}

/** Number of parameters of a model with these sizes (float arithmetic: no overflow for huge sizes). */
export function parameterCount(s: ModelSizes): number {
  let n = 0;
  for (const shape of modelShapes({ ...s, layers: Math.min(s.layers, 2) }).values()) n += shape.reduce((a, b) => a * b, 1);
  if (s.layers > 2) n += (s.layers - 2) * GATES[s.model] * s.hidden * (2 * s.hidden + 2);
  return n;
}

/** Default ceiling on parameters (`--allow-large` lifts it). */
export const MAX_PARAMETERS = 200_000_000;
/** A typed array cannot hold more elements than this; no flag lifts it. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/**
 * Bytes a training run of these sizes needs, roughly: weights, gradients and two optimizer
 * moments (4 copies of the parameters, float32), plus the activations a `batch × steps`
 * chunk keeps for backward (gates, states and outputs per layer, logits and their softmax).
 */
export function trainingBytes(s: ModelSizes, batch: number, steps: number): number {
  const params = parameterCount(s);
  const perToken = s.embedding + s.layers * s.hidden * (2 * GATES[s.model] + 4) + 3 * s.outputs;
  return 4 * (4 * params + batch * steps * perToken);
}

/** Human-readable bytes: `1.5 GB`. */
export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n >= 100 || i === 0 ? n.toFixed(0) : n.toPrecision(3)} ${units[i]}`;
}

/**
 * Refuses, before anything is allocated, a model or run too large for this machine: a tensor
 * past a typed array's limit always; more than MAX_PARAMETERS parameters or more memory than
 * 3/4 of the machine's RAM unless `allowLarge`. The message names the sizes and the flag.
 */
export function checkModelSize(op: string, s: ModelSizes, run: { batch: number; steps: number } | null, allowLarge: boolean): void {
  const largest = Math.max(...[...modelShapes({ ...s, layers: 1 }).values()].map((shape) => shape.reduce((a, b) => a * b, 1)), s.hidden * s.hidden * GATES[s.model]);
  const what = `${s.model.toUpperCase()} model with vocabulary ${s.vocabSize}, --embedding ${s.embedding}, --hidden ${s.hidden}, --layers ${s.layers}`;
  if (largest > MAX_TENSOR_ELEMENTS) {
    throw new CliError(`${op}: the ${what} needs a tensor of ${largest.toExponential(2)} elements, more than the ${MAX_TENSOR_ELEMENTS} one array can hold`, 1, "lower --hidden or --embedding");
  }
  if (allowLarge) return;
  const params = parameterCount(s);
  if (params > MAX_PARAMETERS) {
    throw new CliError(`${op}: the ${what} has ${params.toExponential(2)} parameters, more than the ${MAX_PARAMETERS.toExponential(0)} allowed`, 1, "lower the sizes, or pass --allow-large if you mean it");
  }
  if (run !== null) {
    const bytes = trainingBytes(s, run.batch, run.steps);
    const budget = 0.75 * totalmem();
    if (bytes > budget) {
      throw new CliError(`${op}: training the ${what} on ${run.batch}×${run.steps} chunks needs about ${formatBytes(bytes)}, more than 3/4 of this machine's ${formatBytes(totalmem())}`, 1, "lower --hidden, --layers, --batch-size or --seq-len, or pass --allow-large if you mean it");
    }
  }
}
