import { CHECKPOINT_PY } from "./python/checkpointPy.js";
import { charLMDataPy, classifierDataPy } from "./python/dataPy.js";
import { DISTRIBUTED_PY } from "./python/distributedPy.js";
import { modelPy } from "./python/modelPy.js";
import { RNNKIT_FORMAT_PY } from "./python/rnnkitFormat.js";
import { trainCharLMPy } from "./python/trainCharLMPy.js";
import { trainClassifierPy } from "./python/trainClassifierPy.js";
import { projectReadme } from "./readme.js";
import type { LabelledText, ProjectFiles, TorchProjectSpec } from "./spec.js";

const CELLS = ["rnn", "lstm", "gru"];

function check(spec: TorchProjectSpec): void {
  const op = "torchProject";
  const c = spec.config;
  if (!CELLS.includes(c.model)) throw new Error(`${op}: config.model must be one of ${CELLS.join(", ")}, got ${JSON.stringify(c.model)}`);
  for (const k of ["vocabSize", "embedding", "hidden", "layers"] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`${op}: config.${k} must be a positive integer, got ${JSON.stringify(c[k])}`);
  }
  const ids = spec.kind === "charlm" ? spec.vocab.length : spec.vocab.length + 1;
  if (ids !== c.vocabSize) {
    throw new Error(`${op}: the vocabulary has ${spec.vocab.length} characters but config.vocabSize is ${c.vocabSize}${spec.kind === "classifier" ? " (it counts the padding id 0)" : ""}`);
  }
  if (new Set(spec.vocab).size !== spec.vocab.length) throw new Error(`${op}: the vocabulary repeats a character`);
  if (spec.kind === "classifier") {
    if (spec.labels.length !== spec.config.numClasses) throw new Error(`${op}: ${spec.labels.length} labels but config.numClasses is ${spec.config.numClasses}`);
    const o = spec.options;
    if (!Number.isInteger(o.epochs) || o.epochs < 1 || !Number.isInteger(o.batchSize) || o.batchSize < 1 || !(o.lr > 0) || !(o.clip > 0)) {
      throw new Error(`${op}: options need positive integer epochs and batchSize and positive lr and clip, got ${JSON.stringify(o)}`);
    }
  } else {
    const o = spec.options;
    if (o.model !== c.model || o.embedding !== c.embedding || o.hidden !== c.hidden || o.layers !== c.layers || o.dropout !== spec.config.dropout) {
      throw new Error(`${op}: options (${o.model}, embedding ${o.embedding}, hidden ${o.hidden}, layers ${o.layers}, dropout ${o.dropout}) do not describe config ${JSON.stringify(spec.config)}`);
    }
    if (!(o.seqLen >= 1) || !(o.batchSize >= 1) || !(o.lr > 0) || !(o.valSplit >= 0 && o.valSplit < 1)) {
      throw new Error(`${op}: options need seqLen, batchSize >= 1, lr > 0 and valSplit in [0, 1), got ${JSON.stringify(o)}`);
    }
    if (spec.text !== undefined && spec.text !== null) {
      const known = new Set(spec.vocab);
      const unknown = [...new Set(Array.from(spec.text))].filter((ch) => !known.has(ch));
      if (unknown.length > 0) throw new Error(`${op}: the text has ${unknown.length} character(s) outside the vocabulary: ${unknown.slice(0, 10).map((ch) => JSON.stringify(ch)).join(", ")}`);
    }
  }
}

/** One `text,label` line as rnnkit classify train reads it (a text with a comma or quote is quoted, `""` escaping). */
function csvLine(e: LabelledText): string {
  if (/[\r\n]/.test(e.text) || /[,\r\n]/.test(e.label)) throw new Error(`torchProject: example ${JSON.stringify(e.text)} / ${JSON.stringify(e.label)} cannot be a text,label line (line break, or a comma in the label)`);
  const text = /[,"]/.test(e.text) || e.text !== e.text.trim() ? `"${e.text.replace(/"/g, '""')}"` : e.text;
  return `${text},${e.label}\n`;
}

function csv(examples: readonly LabelledText[]): string {
  return `text,label\n${examples.map(csvLine).join("")}`;
}

/**
 * The files of a small, readable PyTorch project for an rnnkit model: `model.py` (same modules
 * and parameter names), `data.py` (same vocabulary and batching), `train.py` (the same training
 * loop under DistributedDataParallel, `env://` rendezvous or `--spawn N`), `checkpoint.py` and
 * `rnnkit_format.py` (rnnkit's safetensors checkpoints, with or without the safetensors
 * package), `README.md` (torchrun command lines), plus `init.safetensors` and `data/` when given.
 * Pure: the same spec always gives the same files.
 * @example
 * const files = torchProject({ kind: "charlm", config, vocab, options, text, init: checkpointBytes });
 * files["model.py"]; // "...class CharLM(nn.Module)..."
 */
export function torchProject(spec: TorchProjectSpec): ProjectFiles {
  check(spec);
  const hasInit = spec.init !== undefined && spec.init !== null;
  const files: ProjectFiles = {};
  let hasData: boolean;
  if (spec.kind === "charlm") {
    hasData = typeof spec.text === "string";
    files["model.py"] = modelPy(spec);
    files["data.py"] = charLMDataPy(spec);
    files["train.py"] = trainCharLMPy(spec, hasInit, hasData);
    if (hasData) files["data/train.txt"] = spec.text!;
  } else {
    hasData = spec.data !== undefined && spec.data !== null;
    files["model.py"] = modelPy(spec);
    files["data.py"] = classifierDataPy(spec);
    files["train.py"] = trainClassifierPy(spec, hasInit);
    if (hasData) {
      files["data/train.csv"] = csv(spec.data!.train);
      files["data/val.csv"] = csv(spec.data!.val);
    }
  }
  files["distributed.py"] = DISTRIBUTED_PY;
  files["checkpoint.py"] = CHECKPOINT_PY;
  files["rnnkit_format.py"] = RNNKIT_FORMAT_PY;
  files["README.md"] = projectReadme(spec, hasInit, hasData);
  if (hasInit) files["init.safetensors"] = spec.init!;
  return files;
}
