import * as rk from "rnnkit";
import { defaultConfig, FIELD_LABELS, validateConfig, type CellType, type PlaygroundConfig } from "./config.js";

/** Metadata keys written into a playground checkpoint's safetensors header. */
export interface CheckpointMeta {
  config: PlaygroundConfig;
  symbols: string[];
  labelNames: string[];
  step: number;
}

/** The `format` metadata of playground checkpoints. */
export const PLAYGROUND_FORMAT = "rnnkit-playground";

/** The model's state dict as safetensors bytes, with the config and vocabulary in `__metadata__`. */
export function encodeCheckpoint(state: Record<string, rk.Tensor>, meta: CheckpointMeta): Uint8Array {
  const { text: _text, ...config } = meta.config;
  return rk.io.saveSafetensors(state, {
    format: PLAYGROUND_FORMAT,
    config: JSON.stringify(config),
    symbols: JSON.stringify(meta.symbols),
    labelNames: JSON.stringify(meta.labelNames),
    step: String(meta.step),
  });
}

/**
 * What a checkpoint file asks for: the configuration to build (the file's own, or read from its
 * tensor shapes and the on-screen settings), the vocabulary and labels the model was trained
 * with, the step it reached, and its weights renamed to the playground model's keys.
 */
export interface LoadPlan {
  /** The configuration to build; its `text` is the on-screen text. */
  config: PlaygroundConfig;
  /** Input symbols in id order, when the file records them. */
  symbols: string[] | null;
  /** Class names in output order, when the file records them. */
  labelNames: string[] | null;
  step: number;
  tensors: Record<string, rk.Tensor>;
  /** What the file is, in words (shown after loading). */
  kind: string;
}

function parseJson<T>(md: Record<string, string>, key: string): T {
  try {
    return JSON.parse(md[key] ?? "") as T;
  } catch {
    throw new Error(`The checkpoint's "${key}" metadata is missing or not valid JSON.`);
  }
}

function stringList(md: Record<string, string>, key: string): string[] {
  const v = parseJson<unknown>(md, key);
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) throw new Error(`The checkpoint's "${key}" metadata must be a list of strings.`);
  return v as string[];
}

/** Weights as float32, without the CLI's optimizer and training-state entries, keys renamed by `rename`. */
function modelTensors(tensors: Record<string, rk.Tensor>, rename: (k: string) => string): Record<string, rk.Tensor> {
  const out: Record<string, rk.Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith("optim.") || k.startsWith("train.")) continue;
    out[rename(k)] = t.dtype === "float32" ? t : t.float();
  }
  return out;
}

/** The CLI (and its PyTorch twin) name the embedding `embed` and the output layer `head`. */
const cliKey = (k: string) => k.replace(/^embed\./, "embedding.").replace(/^head\./, "fc.");

interface CliConfig {
  model: "rnn" | "lstm" | "gru";
  embedding: number;
  hidden: number;
  layers: number;
  vocabSize: number;
}

function cliCell(model: unknown): CellType {
  if (model === "lstm" || model === "gru") return model;
  if (model === "rnn") return "rnn-tanh";
  throw new Error(`The checkpoint's model kind must be rnn, lstm or gru, got ${JSON.stringify(model)}.`);
}

/** The on-screen settings for `task`: kept when the screen shows that task, else the task's defaults (text kept). */
function settingsFor(task: PlaygroundConfig["task"], onScreen: PlaygroundConfig): PlaygroundConfig {
  return onScreen.task === task ? { ...onScreen } : { ...defaultConfig(task), text: onScreen.text, seed: onScreen.seed };
}

/**
 * Reads the model settings a bare state dict implies from its tensor shapes: cell (gate rows per
 * hidden unit), hidden size, layers, direction and embedding; the rest comes from the screen.
 */
function inferFromShapes(tensors: Record<string, rk.Tensor>, onScreen: PlaygroundConfig): PlaygroundConfig {
  const hh = tensors["rnn.weight_hh_l0"];
  if (!hh || hh.dim() !== 2) {
    throw new Error('This file has no rnnkit settings and no "rnn.weight_hh_l0" matrix, so it is not a state dict of a playground model (keys rnn.*, fc.*, and embedding.* or embed.*).');
  }
  const H = hh.shape[1]!;
  const gates = hh.shape[0]! / H;
  const c = { ...onScreen };
  if (gates === 4) c.cell = "lstm";
  else if (gates === 3) c.cell = "gru";
  else if (gates === 1) c.cell = onScreen.cell === "rnn-relu" ? "rnn-relu" : "rnn-tanh";
  else throw new Error(`rnn.weight_hh_l0 is ${hh.shape.join("×")}: not the shape of an RNN, LSTM or GRU layer.`);
  c.hiddenSize = H;
  let layers = 0;
  while (tensors[`rnn.weight_hh_l${layers}`]) layers++;
  c.numLayers = layers;
  c.bidirectional = tensors["rnn.weight_hh_l0_reverse"] !== undefined;
  const emb = tensors["embedding.weight"];
  if (emb) {
    c.input = "embedding";
    c.embeddingDim = emb.shape[1]!;
  } else if (c.task !== "sine") {
    c.input = "onehot";
  }
  return c;
}

/**
 * Reads a checkpoint: a playground file, a CLI `rnnkit.charlm` or `rnnkit.classifier` file, or
 * a bare state dict (PyTorch's `save_file(model.state_dict())`), whose settings come from its
 * shapes and `onScreen`. Errors are sentences in the page's terms.
 */
export function readCheckpoint(bytes: Uint8Array, onScreen: PlaygroundConfig): LoadPlan {
  let loaded: { tensors: Record<string, rk.Tensor>; metadata: Record<string, string> };
  try {
    loaded = rk.io.loadSafetensors(bytes);
  } catch (e) {
    throw new Error(`This file is not a readable safetensors checkpoint: ${(e as Error).message}`);
  }
  const md = loaded.metadata;
  const format = md.format;
  let plan: LoadPlan;
  if (format === PLAYGROUND_FORMAT || (format === undefined && md.config !== undefined && md.symbols !== undefined)) {
    const config: PlaygroundConfig = { ...defaultConfig("hello"), ...parseJson<Omit<PlaygroundConfig, "text">>(md, "config"), text: onScreen.text };
    const symbols = stringList(md, "symbols");
    plan = {
      config,
      symbols: symbols.length ? symbols : null,
      labelNames: md.labelNames ? stringList(md, "labelNames") : null,
      step: Number(md.step ?? 0) || 0,
      tensors: modelTensors(loaded.tensors, (k) => k),
      kind: "a playground checkpoint",
    };
  } else if (format === "rnnkit.charlm" || format === "rnnkit.classifier") {
    const cli = parseJson<CliConfig>(md, "config");
    const chars = stringList(md, "vocab");
    const classifier = format === "rnnkit.classifier";
    const base = settingsFor(classifier ? "wordOrigin" : "text", onScreen);
    const config: PlaygroundConfig = {
      ...base,
      cell: cliCell(cli.model),
      input: "embedding",
      embeddingDim: cli.embedding,
      hiddenSize: cli.hidden,
      numLayers: cli.layers,
      bidirectional: false,
    };
    const summary = md.summary ? parseJson<{ steps?: number }>(md, "summary") : {};
    plan = {
      config,
      // The classifier's id 0 is padding; its letters start at id 1.
      symbols: classifier ? ["<pad>", ...chars] : chars,
      labelNames: classifier ? stringList(md, "labels") : null,
      step: Number(summary.steps ?? 0) || 0,
      tensors: modelTensors(loaded.tensors, cliKey),
      kind: classifier ? "an rnnkit CLI word classifier" : "an rnnkit CLI character model",
    };
  } else if (format !== undefined && md.config !== undefined) {
    throw new Error(`This is an rnnkit checkpoint of format "${format}", which the playground cannot train (it loads playground files, rnnkit.charlm and rnnkit.classifier).`);
  } else {
    const tensors = modelTensors(loaded.tensors, cliKey);
    plan = { config: inferFromShapes(tensors, onScreen), symbols: null, labelNames: null, step: 0, tensors, kind: "a state dict (settings read from its tensor shapes)" };
  }
  const problems = validateConfig(plan.config).filter((p) => p.field !== "text");
  if (problems.length) throw new Error(`The checkpoint's settings cannot be used here: ${problems.map((p) => p.message).join(" ")}`);
  return plan;
}

/** Describes a model's settings in the page's words, e.g. "LSTM, Hidden size 128, Layers 2". */
export function describeModel(c: PlaygroundConfig): string {
  const cell = { "rnn-tanh": "RNN (tanh)", "rnn-relu": "RNN (relu)", lstm: "LSTM", gru: "GRU" }[c.cell];
  return `${cell}, ${FIELD_LABELS.hiddenSize} ${c.hiddenSize}, ${FIELD_LABELS.numLayers} ${c.numLayers}${c.bidirectional ? ", bidirectional" : ""}`;
}

/**
 * Checks `tensors` against the model's own state dict by name and shape, and says what differs
 * in plain words (never a class name); returns the tensors to load.
 */
export function checkTensors(expected: Record<string, rk.Tensor>, tensors: Record<string, rk.Tensor>, what: string): void {
  const problems: string[] = [];
  for (const [k, t] of Object.entries(expected)) {
    const got = tensors[k];
    if (!got) problems.push(`${k} is missing`);
    else if (got.shape.join() !== t.shape.join()) problems.push(`${k} is ${got.shape.join("×")} in the file but ${t.shape.join("×")} for ${what}`);
  }
  for (const k of Object.keys(tensors)) if (!(k in expected)) problems.push(`${k} is not part of the model`);
  if (problems.length) {
    const shown = problems.slice(0, 6);
    throw new Error(`The file's weights do not fit a model with ${what}: ${shown.join("; ")}${problems.length > shown.length ? `; and ${problems.length - shown.length} more` : ""}.`);
  }
}
