import * as rk from "rnnkit";
import { existsSync } from "node:fs";
import { CharLM, detachState, type CharLMConfig, type RecurrentState } from "./charModel.js";
import { saveCheckpoint } from "./checkpoint.js";
import { bundledCorpus, BUNDLED_CORPUS_NAME } from "./corpus.js";
import { CliError, EXIT_INTERRUPTED } from "./errors.js";
import { Logger } from "./logger.js";
import { checkModelSize } from "./modelSize.js";
import { currentLr, makeOptimizer, Schedule } from "./optimSetup.js";
import { checkOutputPath } from "./outputPath.js";
import { defaultPrime, sampleText } from "./sampling.js";
import { buildCheckpoint } from "./trainCheckpoint.js";
import { checkOptions, type Progress, type TrainOptions, type TrainRun } from "./trainOptions.js";
import { readResume, restoreTraining, type ResumeState } from "./trainResume.js";
import { evaluateLoss, readText, Streams, textHash, unigramLoss } from "./textData.js";
import { encodeText, makeVocab, vocabChars } from "./vocabulary.js";

export { CHARLM_FORMAT } from "./checkpointFormat.js";

/** Default number of epochs when neither `--epochs` nor `--steps` is given. */
export const DEFAULT_EPOCHS = 2;

const OP = "rnnkit train";

/** The training text cut for truncated BPTT: the vocabulary, the splits and the streams. */
interface TextSetup {
  vocab: rk.data.CharVocab;
  hash: string;
  trainIds: Int32Array;
  valIds: Int32Array;
  streams: Streams;
  stepsPerEpoch: number;
}

/** Reads the text, fits (or, resuming, restores) the vocabulary and cuts the streams; may lower `opts.batchSize`. */
function prepareText(opts: TrainOptions, resume: ResumeState | null, log: Logger): TextSetup {
  const text = opts.data === null ? bundledCorpus() : readText(opts.data, OP);
  const hash = textHash(text);
  if (resume && resume.dataHash !== hash) {
    throw new CliError(`${OP}: --resume: the data (${opts.data ?? BUNDLED_CORPUS_NAME}) is not the text ${resume.path} was trained on`, 1, "pass the --data the run started with");
  }
  const vocab = makeVocab(resume ? resume.chars : rk.data.CharVocab.fromText(text).tokens);
  const ids = encodeText(vocab, text, { op: OP, what: "the data", strict: true }).ids;
  const nVal = Math.floor(ids.length * opts.valSplit);
  const trainIds = ids.subarray(0, ids.length - nVal);
  const valIds = ids.subarray(ids.length - nVal);
  const fitting = Math.floor((trainIds.length - 1) / opts.seqLen);
  if (fitting < 1) {
    throw new CliError(`${OP}: the training text has ${trainIds.length} characters, too few for --seq-len ${opts.seqLen} (need more than ${opts.seqLen}); lower --seq-len`);
  }
  if (fitting < opts.batchSize) {
    if (resume) throw new CliError(`${OP}: --resume: ${resume.path}: train.options.batchSize ${opts.batchSize} does not fit the text (at most ${fitting} streams)`);
    // A short text cannot fill `batchSize` streams of one chunk each: use fewer streams.
    log.event("notice", { batchSize: fitting }, `note: the training text has ${trainIds.length} characters; using --batch-size ${fitting} instead of ${opts.batchSize}`);
    opts.batchSize = fitting;
  }
  if (opts.valSplit > 0 && valIds.length < 2) {
    throw new CliError(`${OP}: --val-split ${opts.valSplit} leaves ${valIds.length} validation characters; need at least 2`);
  }
  const streams = new Streams(trainIds, opts.batchSize);
  return { vocab, hash, trainIds, valIds, streams, stepsPerEpoch: streams.windows(opts.seqLen) };
}

/**
 * `rnnkit train`: a character-level language model trained with truncated BPTT. The training
 * text is cut into `batchSize` contiguous streams; each step reads the next `seqLen` characters
 * of every stream and starts from the previous chunk's final hidden state, detached (so
 * gradients flow back `seqLen` steps while the state carries context across the epoch).
 * Everything that can be checked — options, `--out`, the resume checkpoint, the model's size —
 * is checked before training starts.
 */
export async function trainCommand(run: TrainRun): Promise<void> {
  checkOptions(run.options);
  const resume = run.resume === null ? null : readResume(run, run.resume);
  const opts: TrainOptions = resume ? resume.options : { ...run.options };
  checkOptions(opts);
  checkOutputPath(OP, "--out", run.out, opts.data === null ? [] : [{ flag: "--data", path: opts.data }]);
  const log = Logger.create(run.json);
  const text = prepareText(opts, resume, log);
  const config: CharLMConfig = {
    model: opts.model, vocabSize: text.vocab.size, embedding: opts.embedding, hidden: opts.hidden,
    layers: opts.layers, dropout: opts.dropout,
  };
  checkModelSize(OP, { ...config, outputs: config.vocabSize }, { batch: opts.batchSize, steps: opts.seqLen }, run.allowLarge);

  rk.manualSeed(opts.seed);
  const model = new CharLM(config);
  const maxSteps = opts.steps ?? Infinity;
  const maxEpochs = opts.epochs ?? (opts.steps === null ? DEFAULT_EPOCHS : Infinity);
  const totalSteps = Math.min(maxSteps, maxEpochs * text.stepsPerEpoch);
  const optimizer = makeOptimizer(opts.optimizer, model.parameters(), opts.lr);
  // cosine and onecycle span `--epochs` when given (`--steps` then only stops the run early),
  // else `--steps`; a resumed run keeps the first run's plan, so it continues exactly.
  const scheduleSteps = resume?.progress.scheduleSteps ?? (opts.epochs !== null ? opts.epochs * text.stepsPerEpoch : totalSteps);
  if (opts.scheduler === "onecycle" && totalSteps > scheduleSteps) {
    throw new CliError(`${OP}: --scheduler onecycle was planned over ${scheduleSteps} steps; this run would reach step ${totalSteps}`, 1, "lower --epochs/--steps or start a new run");
  }
  const schedule = new Schedule(opts.scheduler, optimizer, opts.lr, scheduleSteps);
  let state: RecurrentState | undefined;
  let progress: Progress = { epoch: 0, stepInEpoch: 0, globalStep: 0, epochLossSum: 0, epochLossCount: 0, history: [], seconds: 0, scheduleSteps };
  if (resume) {
    state = restoreTraining(resume, model, optimizer, schedule, text.stepsPerEpoch, opts.batchSize);
    progress = { ...resume.progress, scheduleSteps };
  }
  await trainLoop({ run, opts, config, text, model, optimizer, schedule, progress, state, log, maxSteps, maxEpochs, totalSteps });
}

/** Everything the loop runs on. */
interface LoopSetup {
  run: TrainRun;
  opts: TrainOptions;
  config: CharLMConfig;
  text: TextSetup;
  model: CharLM;
  optimizer: ReturnType<typeof makeOptimizer>;
  schedule: Schedule;
  progress: Progress;
  state: RecurrentState | undefined;
  log: Logger;
  maxSteps: number;
  maxEpochs: number;
  totalSteps: number;
}

/**
 * The training loop: steps until `--epochs`/`--steps`, an epoch report (validation, sample)
 * and a checkpoint after each epoch, a checkpoint when `--steps` stops it inside an epoch,
 * and on Ctrl-C a checkpoint after the current step (exit 130; a second Ctrl-C exits at once).
 */
async function trainLoop(s: LoopSetup): Promise<void> {
  const { run, opts, config, text, model, optimizer, schedule, progress, log, maxSteps, maxEpochs, totalSteps } = s;
  const { vocab, trainIds, valIds, streams, stepsPerEpoch } = text;
  let state = s.state;
  const dataName = opts.data ?? BUNDLED_CORPUS_NAME;
  const baseline = valIds.length > 0 ? unigramLoss(trainIds, valIds, vocab.size) : NaN;
  const numParams = model.numParameters();
  log.event("start", {
    model: opts.model, parameters: numParams, vocabSize: vocab.size, trainChars: trainIds.length,
    valChars: valIds.length, stepsPerEpoch, totalSteps, unigramValLoss: baseline,
    resumedFrom: run.resume, resumedAtStep: progress.globalStep,
  }, [
    `${run.resume ? `resuming ${run.resume} at step ${progress.globalStep}: ` : ""}${opts.model.toUpperCase()} char model, ${numParams.toLocaleString("en-US")} parameters, vocabulary ${vocab.size}`,
    `data: ${dataName} (${trainIds.length} training, ${valIds.length} validation characters); ${stepsPerEpoch} steps per epoch of ${opts.batchSize}×${opts.seqLen} characters`,
    valIds.length > 0 ? `unigram baseline validation loss ${baseline.toFixed(4)}` : "no validation split",
  ].join("\n"));

  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
  };
  process.on("SIGINT", onSigint);
  const started = Date.now();
  const secondsBefore = progress.seconds;
  let tokensThisRun = 0;
  const elapsed = (): number => secondsBefore + (Date.now() - started) / 1000;
  let lastReport: { trainLoss: number; valLoss: number | null } | null = null;

  const save = (withState: boolean): void => {
    progress.seconds = elapsed();
    const snapshot = {
      opts, config, chars: vocabChars(vocab), dataName, dataHash: text.hash, baseline, progress, lastReport,
      model, optimizer, schedule, ...(withState && state !== undefined ? { state } : {}),
    };
    saveCheckpoint(run.out, buildCheckpoint(snapshot), OP);
    log.event("checkpoint", { path: run.out, step: progress.globalStep }, `saved ${run.out}`);
  };

  /** Validation, a sample and the epoch's line; a full epoch also records it and steps the schedule. */
  const endOfEpoch = (full: boolean): void => {
    const trainLoss = progress.epochLossSum / Math.max(1, progress.epochLossCount);
    const valLoss = valIds.length > 0 ? evaluateLoss(model, valIds, opts.batchSize, opts.seqLen) : NaN;
    if (full) schedule.afterEpoch(valLoss);
    const gen = new rk.Generator(opts.seed + 1000 + progress.epoch);
    const prime = encodeText(vocab, defaultPrime(vocab), { op: OP, what: "the sample prime", strict: true }).ids;
    const sample = opts.sampleLength > 0 ? sampleText(model, vocab, prime, { length: opts.sampleLength, temperature: 0.8, topK: 0, generator: gen }) : "";
    const steps = progress.epochLossCount;
    if (full) progress.history.push({ epoch: progress.epoch + 1, steps, trainLoss, valLoss: Number.isFinite(valLoss) ? valLoss : trainLoss });
    lastReport = { trainLoss, valLoss: Number.isFinite(valLoss) ? valLoss : null };
    log.event("epoch", {
      epoch: progress.epoch + 1, complete: full, steps, globalStep: progress.globalStep, trainLoss,
      valLoss: Number.isFinite(valLoss) ? valLoss : null, valPerplexity: Number.isFinite(valLoss) ? Math.exp(valLoss) : null,
      lr: currentLr(optimizer), sample,
    }, [
      `epoch ${progress.epoch + 1}${full ? "" : ` (partial, ${steps} of ${stepsPerEpoch} steps)`}: train loss ${trainLoss.toFixed(4)}${Number.isFinite(valLoss) ? `, validation loss ${valLoss.toFixed(4)} (perplexity ${Math.exp(valLoss).toFixed(2)})` : ""}, lr ${currentLr(optimizer).toPrecision(3)}`,
      ...(sample ? [`sample: ${JSON.stringify(sample)}`] : []),
    ].join("\n"));
  };

  try {
    log.startBar(totalSteps, progress.globalStep);
    while (progress.epoch < maxEpochs && progress.globalStep < maxSteps) {
      model.train();
      while (progress.stepInEpoch < stepsPerEpoch && progress.globalStep < maxSteps) {
        const [x, y] = streams.window(progress.stepInEpoch, opts.seqLen);
        optimizer.zeroGrad();
        const [logits, next] = model.forward(x, state);
        const loss = rk.F.crossEntropy(logits.reshape(-1, vocab.size), y.reshape(-1));
        const value = loss.item();
        if (!Number.isFinite(value)) {
          const kept = existsSync(run.out) ? `the last good checkpoint ${run.out} is kept` : `no checkpoint was written`;
          throw new CliError(`${OP}: loss became ${value} at epoch ${progress.epoch + 1}, step ${progress.globalStep + 1}; stopped (${kept})`, 1, "try a lower --lr or --clip");
        }
        loss.backward();
        if (opts.clip > 0) rk.nn.utils.clipGradNorm(model.parameters(), opts.clip);
        optimizer.step();
        schedule.afterStep();
        state = detachState(next);
        progress.stepInEpoch += 1;
        progress.globalStep += 1;
        progress.epochLossSum += value;
        progress.epochLossCount += 1;
        tokensThisRun += x.numel();
        const tps = tokensThisRun / Math.max(1e-3, (Date.now() - started) / 1000);
        log.event("step", { epoch: progress.epoch + 1, step: progress.globalStep, loss: value, lr: currentLr(optimizer), tokensPerSec: Math.round(tps) });
        log.progress(progress.globalStep, totalSteps, value, tps);
        await new Promise((r) => setImmediate(r));
        if (interrupted) {
          log.stopBar();
          save(true);
          throw new CliError(`${OP}: interrupted at step ${progress.globalStep}; saved ${run.out} (continue with --resume)`, EXIT_INTERRUPTED);
        }
      }
      if (progress.stepInEpoch < stepsPerEpoch) break;
      log.stopBar();
      endOfEpoch(true);
      progress.epoch += 1;
      progress.stepInEpoch = 0;
      progress.epochLossSum = 0;
      progress.epochLossCount = 0;
      state = undefined;
      save(false);
      if (progress.epoch < maxEpochs && progress.globalStep < maxSteps) log.startBar(totalSteps, progress.globalStep);
    }
    log.stopBar();
    if (progress.stepInEpoch > 0) {
      // Stopped by --steps inside an epoch: report and save with the carried state, so a
      // later --resume continues this epoch exactly.
      endOfEpoch(false);
      save(true);
    }
  } finally {
    process.off("SIGINT", onSigint);
    log.stopBar();
  }
  const last = lastReport ?? progress.history[progress.history.length - 1];
  log.event("done", {
    steps: progress.globalStep, epochs: progress.epoch, seconds: Math.round(elapsed()),
    valLoss: last?.valLoss ?? null, unigramValLoss: Number.isFinite(baseline) ? baseline : null, out: run.out,
  }, `done: ${progress.globalStep} steps in ${elapsed().toFixed(1)} s; model saved to ${run.out}`);
}
