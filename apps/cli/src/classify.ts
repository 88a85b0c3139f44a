import { wordOrigin } from "@rnnkit/dataset-word-origin";
import * as rk from "rnnkit";
import { saveCheckpoint } from "./checkpoint.js";
import { CLASSIFIER_FORMAT, META } from "./checkpointFormat.js";
import { CliError } from "./errors.js";
import { table } from "./table.js";
import { Logger } from "./logger.js";
import { loadClassifier } from "./loadModel.js";
import { checkModelSize } from "./modelSize.js";
import { checkOutputPath } from "./outputPath.js";
import { readText } from "./textData.js";
import { encodeText, makeVocab, vocabChars } from "./vocabulary.js";
import { padWords, WordClassifier, type ClassifierConfig } from "./wordClassifier.js";
import type { CellKind } from "./charModel.js";

/** Options of `rnnkit classify train`. */
export interface ClassifyTrainOptions {
  data?: string;
  model: CellKind;
  embedding: number;
  hidden: number;
  layers: number;
  epochs: number;
  batchSize: number;
  lr: number;
  valSplit: number;
  seed: number;
  out: string;
  json: boolean;
  /** Lift the parameter and memory ceilings (`--allow-large`). */
  allowLarge?: boolean;
}

/** A labelled text example. */
export interface Example {
  text: string;
  label: number;
}

/** Parses `text,label` lines (the label after the last comma; a `text,label` header is skipped). */
export function parseCsv(content: string, path: string, op: string): { examples: { text: string; labelName: string }[] } {
  const examples: { text: string; labelName: string }[] = [];
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || (i === 0 && line.toLowerCase() === "text,label")) return;
    const comma = line.lastIndexOf(",");
    if (comma <= 0 || comma === line.length - 1) throw new CliError(`${op}: ${path} line ${i + 1}: expected "text,label", got ${JSON.stringify(raw)}`);
    let text = line.slice(0, comma).trim();
    if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).replace(/""/g, '"');
    examples.push({ text, labelName: line.slice(comma + 1).trim() });
  });
  if (examples.length === 0) throw new CliError(`${op}: ${path} has no text,label lines`);
  return { examples };
}

/**
 * Training and held-out examples: the bundled word-origin set split per language by
 * @rnnkit/data (`testFraction` = `--val-split`), or a CSV shuffled with the seed and split.
 */
export function loadExamples(o: ClassifyTrainOptions, op: string): { train: Example[]; val: Example[]; labels: string[]; lowercase: boolean; source: string } {
  if (o.data === undefined) {
    const part = (split: "train" | "test"): Example[] => {
      const ds = wordOrigin({ split, testFraction: o.valSplit, seed: o.seed });
      return ds.words.map((text, i) => ({ text, label: ds.labels[i]! }));
    };
    const labels = [...wordOrigin({ split: "test", testFraction: 0 }).labelNames];
    return { train: part("train"), val: part("test"), labels, lowercase: true, source: "bundled:word-origin" };
  }
  const { examples: raw } = parseCsv(readText(o.data, op), o.data, op);
  const labels = [...new Set(raw.map((e) => e.labelName))].sort();
  if (labels.length < 2) throw new CliError(`${op}: ${o.data} needs at least 2 distinct labels, got ${labels.length}`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const all = raw.map((e) => ({ text: e.text, label: index.get(e.labelName)! }));
  const order = Array.from(rk.randperm(all.length, { generator: new rk.Generator(o.seed) }).data());
  const nVal = Math.max(1, Math.floor(all.length * o.valSplit));
  if (nVal >= all.length) throw new CliError(`${op}: --val-split ${o.valSplit} leaves no training examples in ${o.data}`);
  return {
    train: order.slice(nVal).map((i) => all[i]!), val: order.slice(0, nVal).map((i) => all[i]!),
    labels, lowercase: false, source: o.data,
  };
}

/** Accuracy and the confusion matrix (rows: true label, columns: predicted) of `model` on `data`. */
function evaluate(model: WordClassifier, data: { ids: Int32Array; label: number }[], numClasses: number, batchSize: number): { accuracy: number; confusion: number[][] } {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  model.eval();
  rk.noGrad(() => {
    for (let s = 0; s < data.length; s += batchSize) {
      const batch = data.slice(s, s + batchSize);
      const [x, lengths] = padWords(batch.map((d) => d.ids));
      const pred = model.forward(x, lengths).argmax(1).data();
      batch.forEach((d, i) => {
        const p = pred[i]!;
        confusion[d.label]![p]! += 1;
        if (p === d.label) correct += 1;
      });
    }
  });
  model.train();
  return { accuracy: data.length ? correct / data.length : NaN, confusion };
}

/**
 * `rnnkit classify train`: an Embedding + GRU/LSTM classifier over packed variable-length
 * words; reports validation accuracy each epoch and the final confusion matrix.
 */
export function classifyTrainCommand(o: ClassifyTrainOptions): void {
  const op = "rnnkit classify train";
  for (const [k, flag] of [["embedding", "--embedding"], ["hidden", "--hidden"], ["layers", "--layers"], ["epochs", "--epochs"], ["batchSize", "--batch-size"]] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new CliError(`${op}: ${flag} must be a positive integer, got ${o[k]}`);
  }
  if (!(o.lr > 0)) throw new CliError(`${op}: --lr must be positive, got ${o.lr}`);
  if (!(o.valSplit > 0 && o.valSplit < 1)) throw new CliError(`${op}: --val-split must be in (0, 1), got ${o.valSplit}`);
  checkOutputPath(op, "--out", o.out, o.data === undefined ? [] : [{ flag: "--data", path: o.data }]);
  const log = Logger.create(o.json);
  const { train: trainRaw, val: valRaw, labels, lowercase, source } = loadExamples(o, op);
  const norm = (e: Example): Example => ({ text: lowercase ? e.text.toLowerCase() : e.text, label: e.label });
  const all = [...trainRaw, ...valRaw].map(norm);
  if (all.some((e) => e.text.length === 0)) throw new CliError(`${op}: ${source} has an empty text`);
  const vocab = makeVocab(rk.data.CharVocab.fromText(all.map((e) => e.text).join("")).tokens, true);
  const encode = (e: Example): { ids: Int32Array; label: number } => ({ ids: encodeText(vocab, e.text, { op, what: "a text", strict: true }).ids, label: e.label });
  const trainSet = trainRaw.map(norm).map(encode);
  const val = valRaw.map(norm).map(encode);
  const gen = new rk.Generator(o.seed);

  rk.manualSeed(o.seed);
  const config: ClassifierConfig = {
    model: o.model, vocabSize: vocab.size, embedding: o.embedding, hidden: o.hidden, layers: o.layers,
    numClasses: labels.length, lowercase,
  };
  checkModelSize(op, { ...config, outputs: config.numClasses }, { batch: o.batchSize, steps: Math.max(...trainSet.map((d) => d.ids.length)) }, o.allowLarge === true);
  const model = new WordClassifier(config);
  const optimizer = new rk.optim.Adam(model.parameters(), { lr: o.lr });
  log.event("start", { examples: trainSet.length + val.length, train: trainSet.length, val: val.length, labels: labels.length, parameters: model.numParameters() },
    `${source}: ${trainSet.length} training and ${val.length} validation examples, ${labels.length} labels; ${o.model.toUpperCase()} classifier with ${model.numParameters()} parameters`);
  const started = Date.now();
  let result = { accuracy: NaN, confusion: [] as number[][] };
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const perm = Array.from(rk.randperm(trainSet.length, { generator: gen }).data());
    let lossSum = 0;
    let batches = 0;
    for (let s = 0; s < perm.length; s += o.batchSize) {
      const batch = perm.slice(s, s + o.batchSize).map((i) => trainSet[i]!);
      const [x, lengths] = padWords(batch.map((d) => d.ids));
      const y = rk.tensor(batch.map((d) => d.label), { dtype: "int32" });
      optimizer.zeroGrad();
      const loss = rk.F.crossEntropy(model.forward(x, lengths), y);
      const value = loss.item();
      if (!Number.isFinite(value)) throw new CliError(`${op}: loss became ${value} in epoch ${epoch}; stopped without saving. Try a lower --lr.`);
      loss.backward();
      rk.nn.utils.clipGradNorm(model.parameters(), 5);
      optimizer.step();
      lossSum += value;
      batches += 1;
    }
    result = evaluate(model, val, labels.length, 256);
    log.event("epoch", { epoch, trainLoss: lossSum / batches, valAccuracy: result.accuracy },
      `epoch ${epoch}/${o.epochs}: train loss ${(lossSum / batches).toFixed(4)}, validation accuracy ${(100 * result.accuracy).toFixed(1)}%`);
  }
  const seconds = (Date.now() - started) / 1000;
  log.event("confusion", { labels: JSON.stringify(labels), matrix: JSON.stringify(result.confusion) }, [
    "confusion matrix (rows: true label, columns: predicted):",
    table([["", ...labels.map((l) => l.slice(0, 4))], ...result.confusion.map((row, i) => [labels[i]!, ...row.map(String)])]),
  ].join("\n"));
  saveCheckpoint(o.out, {
    tensors: model.stateDict(),
    metadata: {
      [META.format]: CLASSIFIER_FORMAT,
      [META.config]: JSON.stringify(config),
      [META.vocab]: JSON.stringify(vocabChars(vocab)),
      [META.labels]: JSON.stringify(labels),
      [META.summary]: JSON.stringify({ data: source, epochs: o.epochs, valAccuracy: result.accuracy, seconds: Math.round(seconds) }),
    },
  }, op);
  log.event("done", { accuracy: result.accuracy, out: o.out, seconds }, `validation accuracy ${(100 * result.accuracy).toFixed(1)}%; saved ${o.out}`);
}

/** `rnnkit classify predict MODEL TEXT`: the `top` most likely labels with probabilities. */
export function classifyPredictCommand(path: string, text: string, top: number, strict: boolean): void {
  const op = "rnnkit classify predict";
  if (!Number.isInteger(top) || top < 1) throw new CliError(`${op}: --top must be a positive integer, got ${top}`);
  if (text.length === 0) throw new CliError(`${op}: the text to classify is empty`);
  const { model, vocab, labels } = loadClassifier(path, op);
  const input = model.config.lowercase ? text.toLowerCase() : text;
  const enc = encodeText(vocab, input, { op, what: `text ${JSON.stringify(text)}`, strict });
  if (enc.ids.length === 0) throw new CliError(`${op}: text ${JSON.stringify(text)} has no character in the model's vocabulary`);
  if (enc.skipped > 0) process.stderr.write(`note: skipped ${enc.skipped} character(s) outside the model's vocabulary\n`);
  const probs = rk.noGrad(() => {
    const [x, lengths] = padWords([enc.ids]);
    return model.forward(x, lengths).softmax(1).data();
  });
  const ranked = labels.map((l, i) => [l, probs[i]!] as const).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [label, p] of ranked) process.stdout.write(`${label}\t${p.toFixed(4)}\n`);
}
