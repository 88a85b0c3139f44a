import type { PlaygroundConfig } from "./config.js";
import type { Inspection } from "./inspect.js";
import type { Predictions } from "./tasks/task.js";
import type { LossPoint } from "./trainer.js";

/** Messages the page sends to the training worker. */
export type ToWorker =
  | { type: "configure"; config: PlaygroundConfig }
  | { type: "train" }
  | { type: "pause" }
  | { type: "step" }
  | { type: "reset" }
  | { type: "save" }
  | { type: "load"; bytes: Uint8Array; name: string };

/** Messages the worker sends back. */
export type FromWorker =
  | { type: "ready"; config: PlaygroundConfig; parameters: number; taskName: string; history: LossPoint[] }
  | { type: "progress"; point: LossPoint; stepsPerSec: number }
  | { type: "predictions"; predictions: Predictions }
  | { type: "inspection"; inspection: Inspection }
  | { type: "status"; running: boolean }
  | { type: "checkpoint"; bytes: Uint8Array; name: string }
  | { type: "error"; message: string };
