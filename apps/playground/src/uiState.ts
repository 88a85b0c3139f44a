import { allowsBidirectional, defaultConfig, validateConfig, type PlaygroundConfig, type TaskName } from "./config.js";
import type { FromWorker } from "./protocol.js";
import type { Inspection } from "./inspect.js";
import type { Predictions } from "./tasks/task.js";
import type { LossPoint } from "./trainer.js";

/** Everything the page shows, derived only from user edits and worker messages. */
export interface UiState {
  config: PlaygroundConfig;
  /** The config the worker's current model was built from. */
  activeConfig: PlaygroundConfig | null;
  running: boolean;
  parameters: number;
  taskName: string;
  history: LossPoint[];
  stepsPerSec: number;
  predictions: Predictions | null;
  inspection: Inspection | null;
  error: string | null;
  /** Problems with the edited config; Train is disabled while there are any. */
  configErrors: string[];
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
    history: [],
    stepsPerSec: 0,
    predictions: null,
    inspection: null,
    error: null,
    configErrors: validateConfig(config),
  };
}

/** A user edit of one config field. Changing the task resets the other fields to its defaults. */
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

/** True when the edited config differs from the one the model was built from (so Train must rebuild). */
export function needsRebuild(s: UiState): boolean {
  if (!s.activeConfig) return true;
  return JSON.stringify(s.activeConfig) !== JSON.stringify(s.config);
}

/** Applies a worker message. */
export function onWorkerMessage(s: UiState, m: FromWorker): UiState {
  switch (m.type) {
    case "ready":
      return { ...s, activeConfig: m.config, config: m.config, parameters: m.parameters, taskName: m.taskName, history: m.history, predictions: null, inspection: null, error: null, stepsPerSec: 0, configErrors: validateConfig(m.config) };
    case "progress":
      return { ...s, history: [...s.history, m.point], stepsPerSec: m.stepsPerSec, error: null };
    case "predictions":
      return { ...s, predictions: m.predictions };
    case "inspection":
      return { ...s, inspection: m.inspection };
    case "status":
      return { ...s, running: m.running };
    case "error":
      return { ...s, error: m.message, running: false };
    case "checkpoint":
      return s;
  }
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
      return `Sample: ${p.prime}${p.text}`;
    case "series":
      return "Forecast (one validation wave)";
  }
}

/** Chart columns for uPlot: steps, training loss, validation loss (null gaps allowed). */
export function chartData(history: readonly LossPoint[]): [number[], number[], (number | null)[]] {
  return [history.map((p) => p.step), history.map((p) => p.loss), history.map((p) => p.valLoss)];
}
