import type * as rk from "rnnkit";
import type { PlaygroundNet } from "../model.js";

/** How a task's outputs are read: next-symbol classes per step, one class per sequence, or real values. */
export type TaskKind = "sequence" | "classify" | "regression";

/** One training or validation batch. `lengths` is set for variable-length classification batches. */
export interface Batch {
  x: rk.Tensor;
  y: rk.Tensor;
  lengths?: number[];
}

/** What the predictions panel shows after an evaluation. */
export type Predictions =
  | { kind: "string"; target: string; predicted: string; symbols: string[]; probs: number[][] }
  | { kind: "classes"; rows: { text: string; label: string; top: { label: string; p: number }[] }[]; accuracy: number }
  | { kind: "sample"; prime: string; text: string }
  | { kind: "series"; input: number[]; target: number[]; predicted: number[] };

/** A training task: its data, its loss and how to show what the model predicts. */
export interface Task {
  readonly name: string;
  readonly kind: TaskKind;
  /** Symbols of the input vocabulary (empty for real-valued input). */
  readonly symbols: readonly string[];
  /** Input features per step (vocabulary size for symbolic input). */
  readonly inputSize: number;
  /** Number of model outputs per step (or per sequence). */
  readonly outputs: number;
  /** Names of the classes for classification tasks. */
  readonly labelNames: readonly string[];
  nextBatch(): Batch;
  validationBatch(): Batch;
  loss(model: PlaygroundNet, batch: Batch): rk.Tensor;
  predictions(model: PlaygroundNet): Predictions;
  /** One example input `[1, seq]` (ids) or `[1, seq, 1]` (values) for the inside-the-model views, with its labels per step. */
  example(): { x: rk.Tensor; steps: string[] };
}
