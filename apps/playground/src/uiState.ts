import { allowsBidirectional, defaultConfig, usedFields, validateConfig, type ConfigProblem, type PlaygroundConfig, type TaskName } from "./config.js";
import type { FromWorker } from "./protocol.js";
import type { Inspection } from "./inspect.js";
import type { Predictions } from "./tasks/task.js";
import type { LossPoint } from "./trainer.js";

/** Everything the page shows, derived only from user edits and worker messages. */
export interface UiState {
  /** The settings in the controls (edited; may differ from the running model's: see `pendingFields`). */
  config: PlaygroundConfig;
  /** The settings of the model the worker holds (null before the first build). */
  activeConfig: PlaygroundConfig | null;
  running: boolean;
  parameters: number;
  taskName: string;
  step: number;
  history: LossPoint[];
  /** Steps per second over the last seconds, validation and views included. */
  stepsPerSec: number;
  /** The last steps/s measured with each thread count. */
  stepsPerSecByThreads: Record<number, number>;
  threads: number;
  isolated: boolean;
  /** Training steps in the worker's last slice (Pause lands after at most the slice under way). */
  sliceSteps: number;
  /** How often the views are refreshed while training (they slow down for large models). */
  viewsEveryMs: number;
  predictions: Predictions | null;
  inspection: Inspection | null;
  /** The training step the views show. */
  viewStep: number;
  viewError: string | null;
  /** A refused build or load, or a training error. */
  error: string | null;
  /** What the last load or rate change did. */
  notice: string | null;
  /** Problems with the edited settings; Train (for a new model) and Reset are refused while there are any. */
  configErrors: ConfigProblem[];
}

/** The first state: the hello task with the classic exercise's settings. */
export function initialState(): UiState {
  const config = defaultConfig("hello");
  return {
    config,
    activeConfig: null,
    running: false,
    parameters: 0,
    taskName: "",
    step: 0,
    history: [],
    stepsPerSec: 0,
    stepsPerSecByThreads: {},
    threads: 1,
    isolated: false,
    sliceSteps: 0,
    viewsEveryMs: 250,
    predictions: null,
    inspection: null,
    viewStep: 0,
    viewError: null,
    error: null,
    notice: null,
    configErrors: validateConfig(config),
  };
}

/** A user edit of one setting. Changing the task resets the other settings to its defaults (text and seed kept). */
export function editConfig<K extends keyof PlaygroundConfig>(s: UiState, key: K, value: PlaygroundConfig[K]): UiState {
  let config: PlaygroundConfig;
  if (key === "task") {
    config = { ...defaultConfig(value as TaskName), text: s.config.text, seed: s.config.seed };
  } else {
    config = { ...s.config, [key]: value };
  }
  if (!allowsBidirectional(config.task)) config.bidirectional = false;
  return { ...s, config, configErrors: validateConfig(config) };
}

/** Settings that apply to the running model at once (through the optimizer's param groups). */
export const LIVE_FIELDS: ReadonlySet<keyof PlaygroundConfig> = new Set(["lr"]);

/**
 * Edited settings that differ from the running model's and wait for Reset: every setting the
 * edited task uses, except the live ones. Empty before the first build.
 */
export function pendingFields(s: UiState): (keyof PlaygroundConfig)[] {
  const a = s.activeConfig;
  if (!a) return [];
  const used = usedFields(s.config.task, s.config.input);
  return (Object.keys(s.config) as (keyof PlaygroundConfig)[]).filter((k) => (k === "task" || used.has(k)) && !LIVE_FIELDS.has(k) && s.config[k] !== a[k]);
}

/** True when Train must first build a model (none yet). Edits to a running model wait for Reset. */
export function needsBuild(s: UiState): boolean {
  return s.activeConfig === null;
}

/** Applies a worker message. */
export function onWorkerMessage(s: UiState, m: FromWorker): UiState {
  switch (m.type) {
    case "ready":
      return {
        ...s, activeConfig: m.config, config: m.config, parameters: m.parameters, taskName: m.taskName, step: m.step, history: m.history,
        predictions: null, inspection: null, viewError: null, error: null, notice: m.message, stepsPerSec: 0, configErrors: validateConfig(m.config),
      };
    case "rejected": {
      // The running model is unchanged: the controls go back to its settings, the error stays up.
      const config = s.activeConfig ?? s.config;
      return { ...s, error: m.message, notice: null, config, configErrors: validateConfig(config) };
    }
    case "progress":
      return {
        ...s, history: appendPoint(s.history, m.point), step: m.point.step, stepsPerSec: m.stepsPerSec, threads: m.threads, sliceSteps: m.sliceSteps,
        viewsEveryMs: m.viewsEveryMs, stepsPerSecByThreads: m.stepsPerSec > 0 ? { ...s.stepsPerSecByThreads, [m.threads]: m.stepsPerSec } : s.stepsPerSecByThreads,
      };
    case "views":
      return { ...s, predictions: m.predictions ?? s.predictions, inspection: m.inspection ?? s.inspection, viewError: m.viewError, viewStep: m.step };
    case "status":
      return { ...s, running: m.running, step: m.step, error: m.running ? null : s.error };
    case "lr": {
      const a = s.activeConfig;
      return { ...s, activeConfig: a ? { ...a, lr: m.lr } : a, notice: `Learning rate ${m.lr} applies from step ${m.step + 1}; the model, optimizer state and step count are kept.` };
    }
    case "threads":
      return { ...s, threads: m.threads, isolated: m.isolated };
    case "error":
      return { ...s, error: m.message, running: false };
    case "file":
    case "bundledText":
      return s;
  }
}

/** Most chart points kept; beyond it every other older point is dropped, so long runs stay cheap to draw. */
export const MAX_CHART_POINTS = 4000;

/** `history` plus `p`, thinned to MAX_CHART_POINTS by keeping every other point of the older half. */
export function appendPoint(history: readonly LossPoint[], p: LossPoint): LossPoint[] {
  if (history.length < MAX_CHART_POINTS) return [...history, p];
  const half = history.length >> 1;
  return [...history.slice(0, half).filter((_, i) => i % 2 === 0), ...history.slice(half), p];
}

/** The string to show for a prediction summary line (hello: the predicted string). */
export function predictionHeadline(p: Predictions | null): string {
  if (!p) return "";
  switch (p.kind) {
    case "string":
      return `Predicted: ${p.predicted}${p.predicted === p.target ? " ✓" : ""}`;
    case "classes":
      return `Validation accuracy: ${(p.accuracy * 100).toFixed(1)}%`;
    case "sample":
      return `Sample: ${p.text.length} characters at temperature 0.8 after the prime ${JSON.stringify(p.prime)}`;
    case "series":
      return "Forecast (one validation wave)";
  }
}

/** Chart columns for uPlot: steps, training loss, validation loss (null gaps allowed). */
export function chartData(history: readonly LossPoint[]): [number[], number[], (number | null)[]] {
  return [history.map((p) => p.step), history.map((p) => p.loss), history.map((p) => p.valLoss)];
}
