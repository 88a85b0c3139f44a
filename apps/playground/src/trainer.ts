import * as rk from "rnnkit";
import { validateConfig, type PlaygroundConfig } from "./config.js";
import { decodeCheckpoint, encodeCheckpoint } from "./checkpoint.js";
import { inspect, type Inspection } from "./inspect.js";
import { PlaygroundNet } from "./model.js";
import { makeTask } from "./tasks/index.js";
import type { Predictions, Task } from "./tasks/task.js";

/** One point of the loss chart. */
export interface LossPoint {
  step: number;
  loss: number;
  valLoss: number | null;
}

function makeOptimizer(config: PlaygroundConfig, params: rk.Tensor[]): rk.optim.Optimizer {
  switch (config.optimizer) {
    case "adam":
      return new rk.optim.Adam(params, { lr: config.lr });
    case "adamw":
      return new rk.optim.AdamW(params, { lr: config.lr });
    case "sgd":
      return new rk.optim.SGD(params, { lr: config.lr, momentum: 0.9 });
    case "rmsprop":
      return new rk.optim.RMSprop(params, { lr: config.lr });
  }
}

/**
 * Owns a task, a model and its optimizer, and trains one step at a time. Pure logic: it runs
 * the same in the page's worker and in Node tests.
 */
export class Trainer {
  readonly config: PlaygroundConfig;
  readonly task: Task;
  readonly model: PlaygroundNet;
  private optimizer: rk.optim.Optimizer;
  step = 0;
  readonly history: LossPoint[] = [];

  constructor(config: PlaygroundConfig, task?: Task) {
    const errs = validateConfig(config);
    if (errs.length) throw new Error(`Invalid configuration: ${errs.join("; ")}`);
    this.config = config;
    rk.manualSeed(config.seed);
    this.task = task ?? makeTask(config);
    this.model = new PlaygroundNet(config, this.task.inputSize, this.task.outputs);
    this.optimizer = makeOptimizer(config, this.model.parameters());
  }

  /** One optimizer step on the next batch; returns its loss. Throws on a non-finite loss. */
  trainStep(): number {
    this.model.train();
    const batch = this.task.nextBatch();
    this.optimizer.zeroGrad();
    const loss = this.task.loss(this.model, batch);
    const value = loss.item();
    if (!Number.isFinite(value)) {
      throw new Error(`Training diverged at step ${this.step + 1}: the loss is ${value}. Lower the learning rate and press Reset.`);
    }
    loss.backward();
    rk.nn.utils.clipGradNorm(this.model.parameters(), 5);
    this.optimizer.step();
    this.step++;
    return value;
  }

  /** Loss on the task's validation batch (no gradients). */
  validationLoss(): number {
    this.model.eval();
    return rk.noGrad(() => this.task.loss(this.model, this.task.validationBatch()).item());
  }

  /** Trains `n` steps and records one chart point with the mean training loss. */
  trainSteps(n: number, withValidation: boolean): LossPoint {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.trainStep();
    const point: LossPoint = { step: this.step, loss: sum / n, valLoss: withValidation ? this.validationLoss() : null };
    this.history.push(point);
    return point;
  }

  predictions(): Predictions {
    this.model.eval();
    return this.task.predictions(this.model);
  }

  inspect(): Inspection {
    const { x, steps } = this.task.example();
    return inspect(this.model, x, steps);
  }

  /** The model as safetensors bytes, with config and vocabulary in the metadata. */
  saveCheckpoint(): Uint8Array {
    return encodeCheckpoint(this.model.stateDict(), {
      config: this.config,
      symbols: [...this.task.symbols],
      labelNames: [...this.task.labelNames],
      step: this.step,
    });
  }

  /**
   * Loads weights saved by the playground, the CLI or PyTorch (same configuration). The model's
   * tensors are checked by name and shape; a mismatch is an Error naming them.
   */
  loadWeights(bytes: Uint8Array): void {
    const { tensors, meta } = decodeCheckpoint(bytes, {
      config: this.config,
      symbols: [...this.task.symbols],
      labelNames: [...this.task.labelNames],
    });
    this.model.loadStateDict(tensors);
    this.step = meta.step;
  }
}
