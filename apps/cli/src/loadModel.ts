import { CharLM, CELL_KINDS, type CharLMConfig } from "./charModel.js";
import { loadCheckpoint, metaJson } from "./checkpoint.js";
import { isTrainingStateKey, META } from "./checkpointFormat.js";
import { CliError } from "./errors.js";
import { CHARLM_FORMAT } from "./train.js";
import { Vocab } from "./vocab.js";
import type * as rk from "rnnkit";

/** A character model restored from a checkpoint, with its vocabulary and metadata. */
export interface LoadedCharLM {
  model: CharLM;
  vocab: Vocab;
  metadata: Record<string, string>;
}

/**
 * Restores a `rnnkit.charlm` checkpoint (written by `rnnkit train` or by PyTorch with the keys
 * of apps/cli/README.md): the config builds the model, the tensors load strictly.
 */
export function loadCharLM(path: string, op: string): LoadedCharLM {
  const ckpt = loadCheckpoint(path, op, CHARLM_FORMAT);
  const config = metaJson<CharLMConfig>(ckpt, META.config, path, op);
  const chars = metaJson<unknown>(ckpt, META.vocab, path, op);
  if (!Array.isArray(chars) || !chars.every((c) => typeof c === "string")) {
    throw new CliError(`${op}: ${path}: metadata "${META.vocab}" must be a JSON array of characters`);
  }
  if (!CELL_KINDS.includes(config.model)) {
    throw new CliError(`${op}: ${path}: config.model must be one of ${CELL_KINDS.join(", ")}, got ${JSON.stringify(config.model)}`);
  }
  for (const k of ["vocabSize", "embedding", "hidden", "layers"] as const) {
    if (!Number.isInteger(config[k]) || config[k] < 1) throw new CliError(`${op}: ${path}: config.${k} must be a positive integer, got ${JSON.stringify(config[k])}`);
  }
  if (chars.length !== config.vocabSize) {
    throw new CliError(`${op}: ${path}: the vocabulary has ${chars.length} characters but config.vocabSize is ${config.vocabSize}`);
  }
  const model = new CharLM({ ...config, dropout: config.dropout ?? 0 });
  const tensors: Record<string, rk.Tensor> = {};
  for (const [k, t] of Object.entries(ckpt.tensors)) if (!isTrainingStateKey(k)) tensors[k] = t.dtype === "float32" ? t : t.float();
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    throw new CliError(`${op}: ${path}: the tensors do not fit the configuration ${JSON.stringify(config)}: ${(e as Error).message}`);
  }
  model.eval();
  return { model, vocab: new Vocab(chars as string[]), metadata: ckpt.metadata };
}
