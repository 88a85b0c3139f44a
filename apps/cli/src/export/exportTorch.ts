import * as rk from "rnnkit";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadCheckpoint, metaValue, type Checkpoint } from "../checkpoint.js";
import { CLASSIFIER_FORMAT, META, TRAIN_PREFIX } from "../checkpointFormat.js";
import { loadExamples, type ClassifyTrainOptions } from "../classify.js";
import { bundledCorpus, BUNDLED_CORPUS_NAME } from "../corpus.js";
import { CliError } from "../errors.js";
import { loadCharLM, loadClassifier } from "../loadModel.js";
import { obj, str } from "../schema.js";
import { readText, textHash } from "../textData.js";
import { CHARLM_FORMAT, DEFAULT_EPOCHS } from "../train.js";
import { checkOptions, trainOptionsCheck, type TrainOptions } from "../trainOptions.js";
import { encodeText, makeVocab, vocabChars } from "../vocabulary.js";
import type { ClassifierConfig } from "../wordClassifier.js";
import { charLMFromFlags, checkClassifierOptions, classifierFromFlags, type ExportFlags } from "./exportFlags.js";

const OP = "rnnkit export torch";

type Spec = rk.torchExport.TorchProjectSpec;

/** Fails before any work when DIR is a file, or a non-empty directory without --force. */
function checkOut(out: string | undefined, force: boolean): string {
  if (out === undefined || out === "") throw new CliError(`${OP}: --out DIR is required (the folder to write the PyTorch project to)`);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new CliError(`${OP}: --out ${out} is a file, not a folder`);
    if (readdirSync(out).length > 0 && !force) throw new CliError(`${OP}: --out ${out} is not empty; choose a new folder or add --force to write over its files`);
  } else if (existsSync(dirname(resolve(out))) && !statSync(dirname(resolve(out))).isDirectory()) {
    throw new CliError(`${OP}: --out ${out}: ${dirname(out)} is not a folder`);
  }
  return out;
}

/** The training text of a char-LM checkpoint: `--data`, else the path it was trained on, else the bundled corpus. */
function charLMText(ckpt: Checkpoint, path: string, options: TrainOptions, flagData: string | undefined): string {
  const source = flagData ?? options.data;
  let text: string;
  if (source === null) {
    text = bundledCorpus();
  } else {
    if (!existsSync(source)) throw new CliError(`${OP}: ${path} was trained on ${source}, which is not here; pass --data FILE with that text`);
    text = readText(source, OP);
  }
  const saved = ckpt.metadata[`${TRAIN_PREFIX}data`];
  if (saved !== undefined) {
    const { dataHash } = metaValue(ckpt.metadata, `${TRAIN_PREFIX}data`, obj<{ dataHash: string }>({ dataHash: str() }), path, OP);
    if (dataHash !== textHash(text)) {
      throw new CliError(`${OP}: ${source ?? BUNDLED_CORPUS_NAME} is not the text ${path} was trained on; pass --data FILE with that text`);
    }
  }
  return text;
}

function charLMSpec(path: string, ckpt: Checkpoint, bytes: Uint8Array, flags: ExportFlags): Spec {
  const { model, vocab } = loadCharLM(path, OP);
  const hasOptions = ckpt.metadata[`${TRAIN_PREFIX}options`] !== undefined;
  const given = flags.given.filter((f) => f !== "data" && f !== "out" && f !== "force");
  if (hasOptions && given.length > 0) {
    throw new CliError(`${OP}: ${path} fixes its training options; --${given[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} cannot change them (train.py takes --epochs/--steps)`);
  }
  const options: TrainOptions = hasOptions
    ? metaValue(ckpt.metadata, `${TRAIN_PREFIX}options`, trainOptionsCheck, path, OP)
    : { ...charLMFromFlags(flags), model: model.config.model, embedding: model.config.embedding, hidden: model.config.hidden, layers: model.config.layers, dropout: model.config.dropout };
  const text = charLMText(ckpt, path, options, flags.data);
  return {
    kind: "charlm", config: { ...model.config }, vocab: vocabChars(vocab), options, text,
    dataHash: textHash(text),
    rng: ckpt.metadata[`${TRAIN_PREFIX}rng`] ?? JSON.stringify({ default: new rk.Generator(options.seed).getState() }),
    init: bytes,
  };
}

function classifierSpec(path: string, ckpt: Checkpoint, bytes: Uint8Array, flags: ExportFlags): Spec {
  const { model, vocab, labels } = loadClassifier(path, OP);
  const summary = ckpt.metadata[META.summary] === undefined ? {} : metaValue(ckpt.metadata, META.summary, (v) => (v !== null && typeof v === "object" ? (v as { data?: string }) : {}), path, OP);
  const trained = summary.data === undefined || summary.data === "bundled:word-origin" ? undefined : summary.data;
  const o = classifierFromFlags({ ...flags, data: flags.data ?? trained });
  if (o.data !== undefined && !existsSync(o.data)) throw new CliError(`${OP}: ${path} was trained on ${o.data}, which is not here; pass --data CSV`);
  return classifierProject(o, { ...model.config }, vocabChars(vocab), labels, bytes);
}

function classifierProject(o: ClassifyTrainOptions, config: ClassifierConfig | null, vocabIn: string[] | null, labelsIn: string[] | null, init: Uint8Array | null): Spec {
  const bad = checkClassifierOptions(o, OP);
  if (bad !== null) throw new CliError(bad);
  const { train, val, labels, lowercase, source } = loadExamples(o, OP);
  const norm = (t: string): string => (lowercase ? t.toLowerCase() : t);
  const vocab = vocabIn ?? [...rk.data.CharVocab.fromText([...train, ...val].map((e) => norm(e.text)).join("")).tokens];
  if (labelsIn !== null && JSON.stringify(labelsIn) !== JSON.stringify(labels)) {
    throw new CliError(`${OP}: the data's labels ${JSON.stringify(labels)} are not the model's ${JSON.stringify(labelsIn)}`);
  }
  const known = makeVocab(vocab, true);
  for (const e of [...train, ...val]) encodeText(known, norm(e.text), { op: OP, what: `${source} example ${JSON.stringify(e.text)}`, strict: true });
  const cfg: ClassifierConfig = config ?? {
    model: o.model, vocabSize: vocab.length + 1, embedding: o.embedding, hidden: o.hidden, layers: o.layers, numClasses: labels.length, lowercase,
  };
  const named = (es: { text: string; label: number }[]): rk.torchExport.LabelledText[] => es.map((e) => ({ text: e.text, label: labels[e.label]! }));
  return {
    kind: "classifier", config: cfg, vocab, labels,
    options: { epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, seed: o.seed, clip: 5 },
    source, data: { train: named(train), val: named(val) }, init,
  };
}

function scratchCharLM(flags: ExportFlags): Spec {
  const options = charLMFromFlags(flags);
  if (options.epochs === null && options.steps === null) options.epochs = DEFAULT_EPOCHS;
  checkOptions(options);
  const text = options.data === null ? bundledCorpus() : readText(options.data, OP);
  const vocab = rk.data.CharVocab.fromText(text);
  const ids = Array.from(text).length;
  const trainLen = ids - Math.floor(ids * options.valSplit);
  const fitting = Math.floor((trainLen - 1) / options.seqLen);
  if (fitting < 1) throw new CliError(`${OP}: the training text has ${trainLen} characters, too few for --seq-len ${options.seqLen}`);
  options.batchSize = Math.min(options.batchSize, fitting);
  return {
    kind: "charlm",
    config: { model: options.model, vocabSize: vocab.size, embedding: options.embedding, hidden: options.hidden, layers: options.layers, dropout: options.dropout },
    vocab: [...vocab.tokens], options, text, dataHash: textHash(text),
    rng: JSON.stringify({ default: new rk.Generator(options.seed).getState() }), init: null,
  };
}

/** The project spec for a checkpoint, or for training options when no checkpoint is given. */
function buildSpec(checkpoint: string | undefined, flags: ExportFlags): Spec {
  if (checkpoint === undefined) {
    if (flags.task === "classifier") return classifierProject(classifierFromFlags(flags), null, null, null, null);
    return scratchCharLM(flags);
  }
  if (flags.task !== undefined) throw new CliError(`${OP}: --task is for exports without a checkpoint; ${checkpoint} says what it is`);
  const ckpt = loadCheckpoint(checkpoint, OP);
  const bytes = new Uint8Array(readFileSync(checkpoint));
  const format = ckpt.metadata[META.format];
  if (format === CHARLM_FORMAT) return charLMSpec(checkpoint, ckpt, bytes, flags);
  if (format === CLASSIFIER_FORMAT) {
    const given = flags.given.filter((f) => ["model", "embedding", "hidden", "layers", "dropout", "seqLen", "steps", "optimizer", "scheduler", "clip"].includes(f));
    if (given.length > 0) throw new CliError(`${OP}: --${given[0]} does not apply to the classifier ${checkpoint}`);
    return classifierSpec(checkpoint, ckpt, bytes, flags);
  }
  throw new CliError(`${OP}: ${checkpoint} is ${format === undefined ? "not an rnnkit checkpoint (no \"format\" metadata)" : `a "${format}" file`}; expected "${CHARLM_FORMAT}" or "${CLASSIFIER_FORMAT}"`);
}

/**
 * `rnnkit export torch [CHECKPOINT] --out DIR`: writes a PyTorch DDP project (model.py, data.py,
 * train.py, checkpoint I/O, README.md with torchrun command lines) for the checkpoint's exact
 * configuration, starting from its weights and training state; without a checkpoint, for the
 * given training options from fresh weights.
 */
export function exportTorchCommand(checkpoint: string | undefined, flags: ExportFlags): void {
  const out = checkOut(flags.out, flags.force);
  const spec = buildSpec(checkpoint, flags);
  let files: rk.torchExport.ProjectFiles;
  try {
    files = rk.torchExport.torchProject(spec);
  } catch (e) {
    throw new CliError(`${OP}: ${(e as Error).message}`);
  }
  for (const [name, content] of Object.entries(files)) {
    const path = join(out, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  chmodSync(join(out, "train.py"), 0o755);
  const what = spec.kind === "charlm"
    ? `${spec.config.model.toUpperCase()} char model, ${spec.options.optimizer}, schedule ${spec.options.scheduler}, batch ${spec.options.batchSize}×${spec.options.seqLen}`
    : `${spec.config.model.toUpperCase()} classifier, ${spec.labels.length} labels`;
  process.stdout.write([
    `wrote ${Object.keys(files).length} files to ${out} (${what}${spec.init ? `, starting from ${checkpoint}` : ", fresh weights"})`,
    `run: cd ${out} && python3 train.py ${spec.kind === "charlm" ? "--steps N" : "--epochs N"}   (several GPUs: torchrun --standalone --nproc_per_node=G train.py …; see ${join(out, "README.md")})`,
    "",
  ].join("\n"));
}
