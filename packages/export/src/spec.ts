/** Recurrent layer of an exported model. */
export type CellKind = "rnn" | "lstm" | "gru";

/** `config` metadata of an `rnnkit.charlm` checkpoint. */
export interface CharLMConfig {
  model: CellKind;
  vocabSize: number;
  embedding: number;
  hidden: number;
  layers: number;
  dropout: number;
}

/** `config` metadata of an `rnnkit.classifier` checkpoint (`vocabSize` counts the padding id 0). */
export interface ClassifierConfig {
  model: CellKind;
  vocabSize: number;
  embedding: number;
  hidden: number;
  layers: number;
  numClasses: number;
  lowercase: boolean;
}

/** `train.options` of an `rnnkit.charlm` checkpoint: the hyper-parameters of `rnnkit train`. */
export interface CharLMTrainOptions {
  data: string | null;
  model: CellKind;
  embedding: number;
  hidden: number;
  layers: number;
  dropout: number;
  seqLen: number;
  batchSize: number;
  epochs: number | null;
  steps: number | null;
  lr: number;
  optimizer: "sgd" | "adam" | "adamw" | "rmsprop";
  scheduler: "none" | "step" | "cosine" | "onecycle" | "plateau";
  clip: number;
  valSplit: number;
  seed: number;
  sampleLength: number;
}

/** What the project for a character language model is generated from. */
export interface CharLMProjectSpec {
  kind: "charlm";
  config: CharLMConfig;
  /** The characters in id order (the checkpoint's `vocab`). */
  vocab: readonly string[];
  options: CharLMTrainOptions;
  /** The whole training text (training and validation parts), written to `data/train.txt`. */
  text?: string | null;
  /** The `train.data` hash of the text (`length:fnv1a`), checked by train.py when given. */
  dataHash?: string | null;
  /** rnnkit's `train.rng` metadata value, kept in the checkpoints train.py writes so `rnnkit train --resume` takes them. */
  rng?: string | null;
  /** The rnnkit checkpoint train.py starts from, written as `init.safetensors`. */
  init?: Uint8Array | null;
}

/** A labelled example of the classifier's data. */
export interface LabelledText {
  text: string;
  /** The label's name (one of `labels`). */
  label: string;
}

/** Training options of an exported classifier (rnnkit classify train's). */
export interface ClassifierTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Gradient-norm clip (rnnkit classify train uses 5). */
  clip: number;
}

/** What the project for a word classifier is generated from. */
export interface ClassifierProjectSpec {
  kind: "classifier";
  config: ClassifierConfig;
  /** The characters in id order; id = index + 1 (0 pads). */
  vocab: readonly string[];
  /** Label names in class order. */
  labels: readonly string[];
  options: ClassifierTrainOptions;
  /** Where the data came from (informational, kept in the checkpoint summary). */
  source?: string;
  /** The training and validation examples, written to `data/train.csv` and `data/val.csv`. */
  data?: { train: readonly LabelledText[]; val: readonly LabelledText[] } | null;
  /** The rnnkit checkpoint train.py starts from, written as `init.safetensors`. */
  init?: Uint8Array | null;
}

/** Either kind of project. */
export type TorchProjectSpec = CharLMProjectSpec | ClassifierProjectSpec;

/** A generated project: relative path → file contents (text or bytes). */
export type ProjectFiles = Record<string, string | Uint8Array>;

const GATES: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

/**
 * The state-dict names and shapes of the model a spec describes, as rnnkit's and torch's
 * modules have them: `embed.weight`, `rnn.weight_ih_l{k}`, `rnn.weight_hh_l{k}`,
 * `rnn.bias_ih_l{k}`, `rnn.bias_hh_l{k}`, `head.weight`, `head.bias`.
 * @example stateDictShapes({ kind: "charlm", config: { model: "gru", vocabSize: 5, embedding: 2, hidden: 3, layers: 1, dropout: 0 }, ... })["rnn.weight_ih_l0"] // [9, 2]
 */
export function stateDictShapes(spec: Pick<CharLMProjectSpec, "kind" | "config"> | Pick<ClassifierProjectSpec, "kind" | "config">): Record<string, number[]> {
  const c = spec.config;
  const out: Record<string, number[]> = { "embed.weight": [c.vocabSize, c.embedding] };
  const g = GATES[c.model] * c.hidden;
  for (let k = 0; k < c.layers; k++) {
    const inSize = k === 0 ? c.embedding : c.hidden;
    out[`rnn.weight_ih_l${k}`] = [g, inSize];
    out[`rnn.weight_hh_l${k}`] = [g, c.hidden];
    out[`rnn.bias_ih_l${k}`] = [g];
    out[`rnn.bias_hh_l${k}`] = [g];
  }
  const outputs = spec.kind === "charlm" ? spec.config.vocabSize : spec.config.numClasses;
  out["head.weight"] = [outputs, c.hidden];
  out["head.bias"] = [outputs];
  return out;
}
