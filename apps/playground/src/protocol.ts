import type { PlaygroundConfig } from "./config.js";
import type { Inspection, ViewRequest } from "./inspect.js";
import type { Predictions } from "./tasks/task.js";
import type { LossPoint } from "./trainer.js";

/** The views the page shows: the predictions panel and the inside-the-model groups. */
export interface VisibleViews extends ViewRequest {
  predictions: boolean;
}

/** Messages the page sends to the training worker. */
export type ToWorker =
  /** Build a new model (Reset / Apply); a rejected build leaves the running model as it was. */
  | { type: "configure"; config: PlaygroundConfig }
  | { type: "train" }
  | { type: "pause" }
  | { type: "step" }
  /** Change the running optimizer's learning rate (every param group), keeping its state and step. */
  | { type: "setLr"; lr: number }
  /** Threads for the large matrix products (needs a cross-origin-isolated page). */
  | { type: "setThreads"; threads: number }
  /** Which views are on screen; only those are computed and sent. */
  | { type: "views"; visible: VisibleViews }
  | { type: "save" }
  /** Load a checkpoint; `onScreen` gives settings (and text) for files that carry none. */
  | { type: "load"; bytes: Uint8Array; name: string; onScreen: PlaygroundConfig }
  | { type: "bundledText" }
  /** The data file the generated code for `task` reads (word origin: words.csv). */
  | { type: "exportData"; task: PlaygroundConfig["task"] };

/** Messages the worker sends back. */
export type FromWorker =
  | { type: "ready"; config: PlaygroundConfig; parameters: number; taskName: string; step: number; history: LossPoint[]; message: string | null }
  /** A build or load was refused; the running model (if any) is unchanged. */
  | { type: "rejected"; message: string }
  | { type: "progress"; point: LossPoint; stepsPerSec: number; threads: number; sliceSteps: number; viewsEveryMs: number }
  | { type: "views"; predictions: Predictions | null; inspection: Inspection | null; viewError: string | null; step: number }
  | { type: "status"; running: boolean; step: number }
  | { type: "lr"; lr: number; step: number }
  | { type: "threads"; threads: number; isolated: boolean }
  | { type: "file"; bytes: Uint8Array; name: string; mime: string }
  | { type: "bundledText"; text: string }
  /** Training stopped with an error (e.g. the loss diverged). */
  | { type: "error"; message: string };
