import * as rk from "rnnkit";
import { existsSync } from "node:fs";
import { CharLM, detachState, type CharLMConfig, type RecurrentState } from "./charModel.js";
import { loadCheckpoint, metaJson, saveCheckpoint, type Checkpoint } from "./checkpoint.js";
import { META, packTensors, unpackTensors, TRAIN_PREFIX, OPTIM_PREFIX, isTrainingStateKey, type Packed } from "./checkpointFormat.js";
import { bundledCorpus, BUNDLED_CORPUS_NAME } from "./corpus.js";
import { CliError, EXIT_INTERRUPTED } from "./errors.js";
import { Logger } from "./logger.js";
import { currentLr, makeOptimizer, Schedule } from "./optimSetup.js";
import { defaultPrime, sampleText } from "./sampling.js";
import { checkOptions, resumeOptions, type Progress, type TrainOptions, type TrainRun } from "./trainOptions.js";
import { evaluateLoss, readText, Streams, textHash, unigramLoss } from "./textData.js";
import { Vocab } from "./vocab.js";

/** Checkpoint format name of character language models. */
export const CHARLM_FORMAT = "rnnkit.charlm";

/** Default number of epochs when neither `--epochs` nor `--steps` is given. */
export const DEFAULT_EPOCHS = 2;

const OP = "rnnkit train";

/**
 * `rnnkit train`: a character-level language model trained with truncated BPTT. The training
 * text is cut into `batchSize` contiguous streams; each step reads the next `seqLen` characters
 * of every stream and starts from the previous chunk's final hidden state, detached (so
 * gradients flow back `seqLen` steps while the state carries context across the epoch).
 */
export async function trainCommand(run: TrainRun): Promise<void> {
  const log = Logger.create(run.json);
  const resumed = run.resume === null ? null : loadCheckpoint(run.resume, OP, CHARLM_FORMAT);
  const opts: TrainOptions = resumed ? resumeOptions(resumed, run) : { ...run.options };
  checkOptions(opts);

  const text = opts.data === null ? bundledCorpus() : readText(opts.data, OP);
  const hash = textHash(text);
  let vocab: Vocab;
  if (resumed) {
    const saved = metaJson<{ dataHash: string }>(resumed, `${TRAIN_PREFIX}data`, run.resume!, OP);
    if (saved.dataHash !== hash) {
      throw new CliError(`${OP}: --resume: the data (${opts.data ?? BUNDLED_CORPUS_NAME}) is not the text ${run.resume} was trained on`);
    }
    vocab = new Vocab(metaJson<string[]>(resumed, META.vocab, run.resume!, OP));
  } else {
    vocab = Vocab.fromText(text);
  }
  const ids = vocab.encode(text, OP, "the data");
  const nVal = Math.floor(ids.length * opts.valSplit);
  const trainIds = ids.subarray(0, ids.length - nVal);
  const valIds = ids.subarray(ids.length - nVal);
  const fitting = Math.floor((trainIds.length - 1) / opts.seqLen);
  if (fitting < 1) {
    throw new CliError(`${OP}: the training text has ${trainIds.length} characters, too few for --seq-len ${opts.seqLen} (need more than ${opts.seqLen}); lower --seq-len`);
  }
  if (fitting < opts.batchSize) {
    // A short text cannot fill `batchSize` streams of one chunk each: use fewer streams.
    log.event("notice", { batchSize: fitting }, `note: the training text has ${trainIds.length} characters; using --batch-size ${fitting} instead of ${opts.batchSize}`);
    opts.batchSize = fitting;
  }
  const streams = new Streams(trainIds, opts.batchSize);
  const stepsPerEpoch = streams.windows(opts.seqLen);
  if (opts.valSplit > 0 && valIds.length < 2) {
    throw new CliError(`${OP}: --val-split ${opts.valSplit} leaves ${valIds.length} validation characters; need at least 2`);
  }

  rk.manualSeed(opts.seed);
  const config: CharLMConfig = {
    model: opts.model, vocabSize: vocab.size, embedding: opts.embedding, hidden: opts.hidden,
    layers: opts.layers, dropout: opts.dropout,
  };
  const model = new CharLM(config);
  const maxSteps = opts.steps ?? Infinity;
  const maxEpochs = opts.epochs ?? (opts.steps === null ? DEFAULT_EPOCHS : Infinity);
  const totalSteps = Math.min(maxSteps, maxEpochs * stepsPerEpoch);
  const optimizer = makeOptimizer(opts.optimizer, model.parameters(), opts.lr);
  const savedProgress = resumed ? metaJson<Progress>(resumed, `${TRAIN_PREFIX}progress`, run.resume!, OP) : null;
  // cosine and onecycle span `--epochs` when given (`--steps` then only stops the run early),
  // else `--steps`; a resumed run keeps the first run's plan, so it continues exactly.
  const scheduleSteps = savedProgress?.scheduleSteps ?? (opts.epochs !== null ? opts.epochs * stepsPerEpoch : totalSteps);
  if (opts.scheduler === "onecycle" && totalSteps > scheduleSteps) {
    throw new CliError(`${OP}: --scheduler onecycle was planned over ${scheduleSteps} steps; this run would reach step ${totalSteps}. Lower --epochs/--steps or start a new run`);
  }
  const schedule = new Schedule(opts.scheduler, optimizer, opts.lr, scheduleSteps);

  let progress: Progress = { epoch: 0, stepInEpoch: 0, globalStep: 0, epochLossSum: 0, epochLossCount: 0, history: [], seconds: 0, scheduleSteps };
  let state: RecurrentState | undefined;
  if (resumed) {
    const path = run.resume!;
    const modelTensors: Record<string, rk.Tensor> = {};
    for (const [k, t] of Object.entries(resumed.tensors)) if (!isTrainingStateKey(k)) modelTensors[k] = t;
    try {
      model.loadStateDict(modelTensors);
      optimizer.loadStateDict(unpackTensors(metaJson<Packed>(resumed, `${TRAIN_PREFIX}optim`, path, OP), resumed.tensors) as rk.optim.OptimizerStateDict);
      schedule.loadStateDict(unpackTensors(metaJson<Packed>(resumed, `${TRAIN_PREFIX}scheduler`, path, OP), resumed.tensors) as rk.optim.lrScheduler.SchedulerStateDict);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`${OP}: --resume: ${path} does not match its configuration: ${(e as Error).message}`);
    }
    progress = { ...savedProgress!, scheduleSteps };
    const rng = metaJson<{ default: ReturnType<rk.Generator["getState"]> }>(resumed, `${TRAIN_PREFIX}rng`, path, OP);
    rk.defaultGenerator.setState(rng.default);
    const h = resumed.tensors[`${TRAIN_PREFIX}state.h`];
    const c = resumed.tensors[`${TRAIN_PREFIX}state.c`];
    if (h) state = c ? [h, c] : h;
  }

  const baseline = valIds.length > 0 ? unigramLoss(trainIds, valIds, vocab.size) : NaN;
  const numParams = model.numParameters();
  log.event("start", {
    model: opts.model, parameters: numParams, vocabSize: vocab.size, trainChars: trainIds.length,
    valChars: valIds.length, stepsPerEpoch, totalSteps, unigramValLoss: baseline,
    resumedFrom: run.resume, resumedAtStep: progress.globalStep,
  }, [
    `${run.resume ? `resuming ${run.resume} at step ${progress.globalStep}: ` : ""}${opts.model.toUpperCase()} char model, ${numParams.toLocaleString("en-US")} parameters, vocabulary ${vocab.size}`,
    `data: ${opts.data ?? BUNDLED_CORPUS_NAME} (${trainIds.length} training, ${valIds.length} validation characters); ${stepsPerEpoch} steps per epoch of ${opts.batchSize}×${opts.seqLen} characters`,
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
  const checkpoint = (withState: boolean): Checkpoint => {
    progress.seconds = elapsed();
    const tensors: Record<string, rk.Tensor> = { ...model.stateDict() };
    const last = lastReport ?? progress.history[progress.history.length - 1];
    const metadata: Record<string, string> = {
      [META.format]: CHARLM_FORMAT,
      [META.config]: JSON.stringify(config),
      [META.vocab]: JSON.stringify(vocab.chars),
      [META.summary]: JSON.stringify({
        data: opts.data ?? BUNDLED_CORPUS_NAME, epochs: progress.epoch, steps: progress.globalStep,
        trainLoss: last?.trainLoss ?? null, valLoss: last?.valLoss ?? null, unigramValLoss: Number.isFinite(baseline) ? baseline : null,
        seconds: Math.round(progress.seconds),
      }),
      [`${TRAIN_PREFIX}options`]: JSON.stringify(opts),
      [`${TRAIN_PREFIX}data`]: JSON.stringify({ dataHash: hash }),
      [`${TRAIN_PREFIX}progress`]: JSON.stringify(progress),
      [`${TRAIN_PREFIX}rng`]: JSON.stringify({ default: rk.defaultGenerator.getState() }),
      [`${TRAIN_PREFIX}optim`]: JSON.stringify(packTensors(optimizer.stateDict(), OPTIM_PREFIX, tensors)),
      [`${TRAIN_PREFIX}scheduler`]: JSON.stringify(packTensors(schedule.stateDict(), `${TRAIN_PREFIX}scheduler.`, tensors)),
    };
    if (withState && state !== undefined) {
      if (Array.isArray(state)) {
        tensors[`${TRAIN_PREFIX}state.h`] = state[0];
        tensors[`${TRAIN_PREFIX}state.c`] = state[1];
      } else {
        tensors[`${TRAIN_PREFIX}state.h`] = state;
      }
    }
    return { tensors, metadata };
  };
  const save = (withState: boolean): void => {
    saveCheckpoint(run.out, checkpoint(withState));
    log.event("checkpoint", { path: run.out, step: progress.globalStep }, `saved ${run.out}`);
  };

  /** Validation, a sample and the epoch's line; a full epoch also records it and steps the schedule. */
  const endOfEpoch = (full: boolean): void => {
    const trainLoss = progress.epochLossSum / Math.max(1, progress.epochLossCount);
    const valLoss = valIds.length > 0 ? evaluateLoss(model, valIds, opts.batchSize, opts.seqLen) : NaN;
    if (full) schedule.afterEpoch(valLoss);
    const gen = new rk.Generator(opts.seed + 1000 + progress.epoch);
    const sample = opts.sampleLength > 0
      ? sampleText(model, vocab, vocab.encode(defaultPrime(vocab), OP), { length: opts.sampleLength, temperature: 0.8, topK: 0, generator: gen })
      : "";
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
          throw new CliError(`${OP}: loss became ${value} at epoch ${progress.epoch + 1}, step ${progress.globalStep + 1}; stopped (${kept}). Try a lower --lr or --clip.`);
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
