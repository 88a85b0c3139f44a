import * as rk from "rnnkit";
import { type CharLM, type CharLMConfig, type RecurrentState } from "./charModel.js";
import { loadCheckpoint, metaValue, type Checkpoint } from "./checkpoint.js";
import { CHARLM_FORMAT, TRAIN_PREFIX, unpackTensors, type Packed } from "./checkpointFormat.js";
import { CliError, oneLine } from "./errors.js";
import { charLMMeta, modelTensors } from "./loadModel.js";
import type { AnyOptimizer, Schedule } from "./optimSetup.js";
import { arrayOf, int, nullable, num, obj, SchemaError, show, str, type Check } from "./schema.js";
import { progressCheck, resumeOptions, type Progress, type TrainOptions, type TrainRun } from "./trainOptions.js";

const OP = "rnnkit train";

/** The saved state of the default random generator. */
type GeneratorState = ReturnType<rk.Generator["getState"]>;

const rngCheck = obj<{ default: GeneratorState }>({
  default: obj<GeneratorState>({
    mt: arrayOf(int(0, 2 ** 32 - 1), 624), index: int(0, 624), seed: int(0), cachedNormal: nullable(num()),
  }, ["cachedNormal"]),
});
const dataCheck = obj<{ dataHash: string }>({ dataHash: str() });
const anyJson: Check<Packed> = (v) => v as Packed;

/** Everything a resumed run takes from its checkpoint, checked field by field. */
export interface ResumeState {
  path: string;
  ckpt: Checkpoint;
  options: TrainOptions;
  config: CharLMConfig;
  chars: string[];
  progress: Progress;
  rng: GeneratorState;
  dataHash: string;
}

/**
 * Reads `--resume`'s checkpoint: the saved options (merged with the command line's stopping
 * point), the model metadata, progress, generator state and data hash, each checked against
 * its schema and against one another before anything is built.
 */
export function readResume(run: TrainRun, path: string): ResumeState {
  const ckpt = loadCheckpoint(path, OP, CHARLM_FORMAT);
  const options = resumeOptions(ckpt, run);
  const { config, chars } = charLMMeta(ckpt.metadata, path, OP);
  for (const k of ["model", "embedding", "hidden", "layers", "dropout"] as const) {
    if (config[k] !== options[k]) {
      throw new CliError(`${OP}: --resume: ${path}: config.${k} is ${show(config[k])} but train.options.${k} is ${show(options[k])}; the checkpoint is inconsistent`);
    }
  }
  const progress = metaValue(ckpt.metadata, `${TRAIN_PREFIX}progress`, progressCheck, path, OP);
  const bad = (what: string): never => {
    throw new CliError(`${OP}: --resume: ${path}: metadata train.progress is inconsistent: ${what}`);
  };
  if (progress.history.length !== progress.epoch) bad(`${progress.history.length} epochs in history, epoch is ${progress.epoch}`);
  if (progress.epochLossCount > progress.stepInEpoch) bad(`epochLossCount ${progress.epochLossCount} exceeds stepInEpoch ${progress.stepInEpoch}`);
  if (progress.stepInEpoch > progress.globalStep) bad(`stepInEpoch ${progress.stepInEpoch} exceeds globalStep ${progress.globalStep}`);
  const rng = metaValue(ckpt.metadata, `${TRAIN_PREFIX}rng`, rngCheck, path, OP).default;
  const { dataHash } = metaValue(ckpt.metadata, `${TRAIN_PREFIX}data`, dataCheck, path, OP);
  return { path, ckpt, options, config, chars, progress, rng, dataHash };
}

/**
 * Checks that `loaded` has the structure of `fresh` (a state dict the same code builds): the
 * same keys, types, array lengths; numbers not NaN. Names the first difference.
 */
function sameStructure(fresh: unknown, loaded: unknown, field: string): void {
  if (typeof fresh === "number") {
    if (typeof loaded !== "number" || Number.isNaN(loaded)) throw new SchemaError(field, "a number", loaded);
    return;
  }
  if (fresh === null || typeof fresh !== "object" || fresh instanceof rk.Tensor) {
    if (typeof loaded !== typeof fresh || (fresh === null) !== (loaded === null)) throw new SchemaError(field, `${fresh === null ? "null" : typeof fresh}`, loaded);
    return;
  }
  if (Array.isArray(fresh)) {
    if (!Array.isArray(loaded) || loaded.length !== fresh.length) throw new SchemaError(field, `an array of ${fresh.length} items`, loaded);
    fresh.forEach((f, i) => sameStructure(f, loaded[i], `${field}[${i}]`));
    return;
  }
  if (loaded === null || typeof loaded !== "object" || Array.isArray(loaded)) throw new SchemaError(field, "an object", loaded);
  const want = Object.keys(fresh).sort();
  const got = Object.keys(loaded).sort();
  const extra = got.find((k) => !want.includes(k));
  if (extra !== undefined) throw new SchemaError(`${field}.${extra}`, "absent (not a key of this optimizer or schedule)", (loaded as Record<string, unknown>)[extra]);
  for (const k of want) sameStructure((fresh as Record<string, unknown>)[k], (loaded as Record<string, unknown>)[k], `${field}.${k}`);
}

/** Checks an optimizer state dict against the optimizer and its parameters. */
function checkOptimizerState(sd: unknown, optimizer: AnyOptimizer, params: rk.Tensor[]): rk.optim.OptimizerStateDict {
  const fresh = optimizer.stateDict();
  if (sd === null || typeof sd !== "object" || Array.isArray(sd)) throw new SchemaError("train.optim", "an object", sd);
  const o = sd as Record<string, unknown>;
  sameStructure(fresh.param_groups, o["param_groups"], "train.optim.param_groups");
  const state = o["state"];
  if (state === null || typeof state !== "object" || Array.isArray(state)) throw new SchemaError("train.optim.state", "an object", state);
  for (const [id, entry] of Object.entries(state)) {
    const p = /^\d+$/.test(id) ? params[Number(id)] : undefined;
    if (p === undefined) throw new SchemaError(`train.optim.state.${id}`, `absent (the model has parameters 0..${params.length - 1})`, entry);
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw new SchemaError(`train.optim.state.${id}`, "an object", entry);
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
      const field = `train.optim.state.${id}.${k}`;
      if (typeof v === "number") {
        if (!Number.isFinite(v)) throw new SchemaError(field, "a finite number", v);
      } else if (v instanceof rk.Tensor) {
        const scalar = v.shape.length === 0 || (v.shape.length === 1 && v.shape[0] === 1);
        if (!scalar && (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i]))) {
          throw new SchemaError(field, `a tensor of the parameter's shape [${p.shape.join(", ")}]`, `shape [${v.shape.join(", ")}]`);
        }
        if (v.data().some((x) => !Number.isFinite(x))) throw new SchemaError(field, "a tensor of finite values", "NaN or infinity");
      } else {
        throw new SchemaError(field, "a number or a tensor", v);
      }
    }
  }
  return sd as rk.optim.OptimizerStateDict;
}

/** Checks the carried hidden state `train.state.*`: `(layers, batch, hidden)`, finite. */
function carriedState(r: ResumeState, batch: number): RecurrentState | undefined {
  const h = r.ckpt.tensors[`${TRAIN_PREFIX}state.h`];
  const c = r.ckpt.tensors[`${TRAIN_PREFIX}state.c`];
  const want = [r.config.layers, batch, r.config.hidden];
  const fail = (what: string): never => {
    throw new CliError(`${OP}: --resume: ${r.path}: ${what}`);
  };
  if (r.progress.stepInEpoch === 0) return undefined;
  if (!h) fail(`stopped inside an epoch (step ${r.progress.stepInEpoch}) but has no carried state tensor "${TRAIN_PREFIX}state.h"`);
  if ((r.config.model === "lstm") !== (c !== undefined)) fail(r.config.model === "lstm" ? `an LSTM needs the carried cell state "${TRAIN_PREFIX}state.c"` : `tensor "${TRAIN_PREFIX}state.c" is not part of a ${r.config.model} run`);
  for (const [name, t] of [["h", h], ["c", c]] as const) {
    if (!t) continue;
    if (t.shape.length !== 3 || t.shape.some((d, i) => d !== want[i])) fail(`tensor "${TRAIN_PREFIX}state.${name}" has shape [${t.shape.join(", ")}], expected [${want.join(", ")}]`);
    if (t.data().some((x) => !Number.isFinite(x))) fail(`tensor "${TRAIN_PREFIX}state.${name}" holds non-finite values`);
  }
  const f = (t: rk.Tensor): rk.Tensor => (t.dtype === "float32" ? t : t.float());
  return c ? [f(h!), f(c)] : f(h!);
}

/**
 * Restores the model, optimizer, schedule and random generator of a resumed run; returns the
 * carried hidden state (when the run stopped inside an epoch). Every part is checked first.
 */
export function restoreTraining(r: ResumeState, model: CharLM, optimizer: AnyOptimizer, schedule: Schedule, stepsPerEpoch: number, batch: number): RecurrentState | undefined {
  if (r.progress.stepInEpoch >= stepsPerEpoch) {
    throw new CliError(`${OP}: --resume: ${r.path}: metadata train.progress.stepInEpoch ${r.progress.stepInEpoch} is past the ${stepsPerEpoch} steps of an epoch`);
  }
  const tensors = modelTensors(r.ckpt, { ...r.config, outputs: r.config.vocabSize }, r.path, OP);
  const state = carriedState(r, batch);
  const part = (key: string, restore: (sd: unknown) => void): void => {
    const packed = metaValue(r.ckpt.metadata, `${TRAIN_PREFIX}${key}`, anyJson, r.path, OP);
    try {
      restore(unpackTensors(packed, r.ckpt.tensors));
    } catch (e) {
      if (e instanceof CliError) throw e;
      const msg = e instanceof SchemaError ? `metadata ${e.message}` : `metadata train.${key} does not fit: ${oneLine((e as Error).message)}`;
      throw new CliError(`${OP}: --resume: ${r.path}: ${msg}`);
    }
  };
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    throw new CliError(`${OP}: --resume: ${r.path}: ${oneLine((e as Error).message)}`);
  }
  part("optim", (sd) => optimizer.loadStateDict(checkOptimizerState(sd, optimizer, model.parameters())));
  part("scheduler", (sd) => {
    sameStructure(schedule.stateDict(), sd, "train.scheduler");
    schedule.loadStateDict(sd as rk.optim.lrScheduler.SchedulerStateDict);
  });
  rk.defaultGenerator.setState(r.rng);
  return state;
}
