import * as rk from "rnnkit";
import { CharLM, CELL_KINDS, type CharLMConfig } from "./charModel.js";
import { loadCheckpoint, metaValue, type Checkpoint } from "./checkpoint.js";
import { CHARLM_FORMAT, CLASSIFIER_FORMAT, isTrainingStateKey, META } from "./checkpointFormat.js";
import { CliError, oneLine } from "./errors.js";
import { modelShapes, type ModelSizes } from "./modelSize.js";
import { arrayOf, bool, int, num, obj, oneOf, SchemaError, str } from "./schema.js";
import { makeVocab, vocabCheck } from "./vocabulary.js";
import { WordClassifier, type ClassifierConfig } from "./wordClassifier.js";

/** Largest size a checkpoint's config may state for one dimension. */
const MAX_DIM = 1 << 24;

/** Schema of a character model's `config` metadata. */
export const charLMConfigCheck = obj<CharLMConfig>({
  model: oneOf(CELL_KINDS), vocabSize: int(1, MAX_DIM), embedding: int(1, MAX_DIM), hidden: int(1, MAX_DIM),
  layers: int(1, 4096), dropout: num(0, 1, true),
}, ["dropout"]);

/** Schema of a classifier's `config` metadata. */
export const classifierConfigCheck = obj<ClassifierConfig>({
  model: oneOf(CELL_KINDS), vocabSize: int(2, MAX_DIM), embedding: int(1, MAX_DIM), hidden: int(1, MAX_DIM),
  layers: int(1, 4096), numClasses: int(2, MAX_DIM), lowercase: bool,
});

/** Schema of a classifier's `labels` metadata: distinct non-empty names. */
export const labelsCheck = (v: unknown, field: string): string[] => {
  const labels = arrayOf(str())(v, field);
  labels.forEach((l, i) => {
    if (labels.indexOf(l) !== i) throw new SchemaError(`${field}[${i}]`, "a label not listed before (duplicate)", l);
  });
  return labels;
};

/** Index and value of the first NaN or infinity in `t`, or null. */
function firstNonFinite(t: rk.Tensor): [number, number] | null {
  const d = t.data();
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return [i, d[i]!];
  return null;
}

/**
 * The checkpoint's model tensors (training state left out), checked against the shapes the
 * configuration implies before any model is built: no tensor missing, none unexpected, every
 * shape right, every value finite. Returned as float32.
 */
export function modelTensors(ckpt: Checkpoint, sizes: ModelSizes, path: string, op: string): Record<string, rk.Tensor> {
  const want = modelShapes(sizes);
  const out: Record<string, rk.Tensor> = {};
  const cfg = `the configuration (${sizes.model}, vocabulary ${sizes.vocabSize}, embedding ${sizes.embedding}, hidden ${sizes.hidden}, layers ${sizes.layers}, ${sizes.outputs} outputs)`;
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    if (isTrainingStateKey(name)) continue;
    const shape = want.get(name);
    if (shape === undefined) throw new CliError(`${op}: ${path}: tensor "${name}" is not part of ${cfg}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new CliError(`${op}: ${path}: tensor "${name}" has shape [${t.shape.join(", ")}], ${cfg} needs [${shape.join(", ")}]`);
    }
    const bad = firstNonFinite(t);
    if (bad) throw new CliError(`${op}: ${path}: tensor "${name}" holds ${bad[1]} at element ${bad[0]}; a model with non-finite weights cannot be used`, 1, "train it again with a lower --lr or --clip");
    out[name] = t.dtype === "float32" ? t : t.float();
  }
  const missing = [...want.keys()].filter((k) => !(k in out));
  if (missing.length > 0) throw new CliError(`${op}: ${path}: tensor "${missing[0]}" is missing${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ""}; ${cfg} needs it`);
  return out;
}

/** Loads checked tensors into `model`, with a one-line error should the library still refuse. */
function loadInto(model: rk.nn.Module, tensors: Record<string, rk.Tensor>, path: string, op: string): void {
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    throw new CliError(`${op}: ${path}: the tensors do not fit the configuration: ${oneLine((e as Error).message)}`);
  }
  model.eval();
}

/** A character model restored from a checkpoint, with its vocabulary and metadata. */
export interface LoadedCharLM {
  model: CharLM;
  vocab: rk.data.CharVocab;
  metadata: Record<string, string>;
}

/** The checked configuration and vocabulary of a `rnnkit.charlm` checkpoint. */
export function charLMMeta(metadata: Record<string, string>, path: string, op: string): { config: CharLMConfig; chars: string[] } {
  const config = metaValue(metadata, META.config, charLMConfigCheck, path, op);
  const chars = metaValue(metadata, META.vocab, vocabCheck, path, op);
  if (chars.length !== config.vocabSize) {
    throw new CliError(`${op}: ${path}: the vocabulary has ${chars.length} characters but config.vocabSize is ${config.vocabSize}`);
  }
  return { config: { ...config, dropout: config.dropout ?? 0 }, chars };
}

/**
 * Restores a `rnnkit.charlm` checkpoint (written by `rnnkit train` or by PyTorch with the keys
 * of apps/cli/README.md): metadata checked field by field, tensors checked against the config
 * before the model is built, then loaded strictly.
 */
export function loadCharLM(path: string, op: string): LoadedCharLM {
  const ckpt = loadCheckpoint(path, op, CHARLM_FORMAT);
  const { config, chars } = charLMMeta(ckpt.metadata, path, op);
  const tensors = modelTensors(ckpt, { ...config, outputs: config.vocabSize }, path, op);
  const model = new CharLM(config);
  loadInto(model, tensors, path, op);
  return { model, vocab: makeVocab(chars), metadata: ckpt.metadata };
}

/** A word classifier restored from a checkpoint. */
export interface LoadedClassifier {
  model: WordClassifier;
  vocab: rk.data.CharVocab;
  labels: string[];
}

/** Restores a `rnnkit.classifier` checkpoint, every field and tensor checked first. */
export function loadClassifier(path: string, op: string): LoadedClassifier {
  const ckpt = loadCheckpoint(path, op, CLASSIFIER_FORMAT);
  const config = metaValue(ckpt.metadata, META.config, classifierConfigCheck, path, op);
  const chars = metaValue(ckpt.metadata, META.vocab, vocabCheck, path, op);
  const labels = metaValue(ckpt.metadata, META.labels, labelsCheck, path, op);
  if (chars.length + 1 !== config.vocabSize) {
    throw new CliError(`${op}: ${path}: the vocabulary has ${chars.length} characters, so config.vocabSize must be ${chars.length + 1} (with the padding id 0), got ${config.vocabSize}`);
  }
  if (labels.length !== config.numClasses) {
    throw new CliError(`${op}: ${path}: metadata labels names ${labels.length} classes but config.numClasses is ${config.numClasses}`);
  }
  const tensors = modelTensors(ckpt, { ...config, outputs: config.numClasses }, path, op);
  const model = new WordClassifier(config);
  loadInto(model, tensors, path, op);
  return { model, vocab: makeVocab(chars, true), labels };
}
