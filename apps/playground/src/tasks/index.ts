import type { PlaygroundConfig } from "../config.js";
import { HelloTask } from "./hello.js";
import { SineTask } from "./sine.js";
import { TextTask } from "./text.js";
import { WordOriginTask } from "./wordOrigin.js";
import type { Task } from "./task.js";

/** Builds the task a config names; `symbols` fixes its input vocabulary (a loaded model's). */
export function makeTask(config: PlaygroundConfig, symbols?: readonly string[]): Task {
  switch (config.task) {
    case "hello":
      return new HelloTask();
    case "sine":
      return new SineTask(config.seqLen, config.batchSize, config.seed);
    case "text":
      return new TextTask(config.text, config.seqLen, config.batchSize, config.seed, symbols);
    case "wordOrigin":
      return new WordOriginTask(config.batchSize, config.seed, symbols);
  }
}

export type { Batch, Predictions, Task, TaskKind } from "./task.js";
