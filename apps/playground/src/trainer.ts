import * as rk from "rnnkit";
import { validateConfig, type PlaygroundConfig } from "./config.js";
import { checkTensors, describeModel, encodeCheckpoint, readCheckpoint } from "./checkpoint.js";
import { inspect, type Inspection, type ViewRequest } from "./inspect.js";
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

/** A trainer made from a checkpoint file, and a sentence saying what was loaded. */
export interface LoadedTrainer {
  trainer: Trainer;
  message: string;
}

/**
 * Owns a task, a model and its optimizer, and trains one step at a time. Pure logic: it runs
 * the same in the page's worker and in Node tests.
 */
export class Trainer {
  /** The settings the model was built with; `lr` follows `setLearningRate`. */
  config: PlaygroundConfig;
  readonly task: Task;
  readonly model: PlaygroundNet;
  private optimizer: rk.optim.Optimizer;
  step = 0;
  readonly history: LossPoint[] = [];

  /** Builds the task and model `config` describes; `symbols` fixes the input vocabulary (a loaded model's). */
  constructor(config: PlaygroundConfig, symbols?: readonly string[]) {
    const errs = validateConfig(config);
    if (errs.length) throw new Error(errs.map((e) => e.message).join(" "));
    this.config = config;
    rk.manualSeed(config.seed);
    this.task = makeTask(config, symbols);
    this.model = new PlaygroundNet(config, this.task.inputSize, this.task.outputs);
    this.optimizer = makeOptimizer(config, this.model.parameters());
  }

  /**
   * Builds the model a checkpoint describes (see `readCheckpoint`) and loads its weights and
   * step. A text model trains on `onScreen.text` when its vocabulary covers it, else on
   * `fallbackText()` (the bundled text) when that fits, else the Error says what to do.
   */
  static fromCheckpoint(bytes: Uint8Array, onScreen: PlaygroundConfig, fallbackText?: () => string): LoadedTrainer {
    const plan = readCheckpoint(bytes, onScreen);
    let trainer: Trainer;
    let textNote = "";
    try {
      trainer = new Trainer(plan.config, plan.symbols ?? undefined);
    } catch (e) {
      if (plan.config.task !== "text" || !fallbackText) throw e;
      try {
        trainer = new Trainer({ ...plan.config, text: fallbackText() }, plan.symbols ?? undefined);
        textNote = " It trains on the bundled text, as the text in the box does not fit its vocabulary.";
      } catch {
        throw e;
      }
    }
    const symbols = plan.symbols;
    if (symbols && plan.config.task !== "text" && (symbols.length !== trainer.task.symbols.length || symbols.some((s, i) => s !== trainer.task.symbols[i]))) {
      throw new Error(`The checkpoint's vocabulary (${symbols.length} symbols) differs from the ${trainer.task.name} task's (${trainer.task.symbols.length}).`);
    }
    const labels = plan.labelNames;
    if (labels && labels.length && labels.join("\n") !== trainer.task.labelNames.join("\n")) {
      throw new Error(`The checkpoint classifies into ${labels.join(", ")}; the ${trainer.task.name} task's classes are ${trainer.task.labelNames.join(", ")}.`);
    }
    checkTensors(trainer.model.stateDict(), plan.tensors, `the settings ${describeModel(plan.config)}`);
    trainer.model.loadStateDict(plan.tensors);
    trainer.step = plan.step;
    return { trainer, message: `Loaded ${plan.kind}: ${trainer.task.name}, ${describeModel(plan.config)}, step ${plan.step}.${textNote}` };
  }

  /** Changes the learning rate of every parameter group of the running optimizer (its state and the step count stay). */
  setLearningRate(lr: number): void {
    if (!(lr > 0 && lr <= 10)) throw new Error(`Learning rate must be more than 0 and at most 10 (got ${lr}).`);
    for (const g of this.optimizer.paramGroups) g.lr = lr;
    this.config = { ...this.config, lr };
  }

  /** The learning rate the optimizer uses now. */
  get learningRate(): number {
    return this.optimizer.paramGroups[0]!.lr;
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

  /** The inside-the-model views of the task's example; only the groups `want` asks for are filled. */
  inspect(want?: ViewRequest): Inspection {
    const { x, steps } = this.task.example();
    return inspect(this.model, x, steps, want);
  }

  /** The model as safetensors bytes, with config, vocabulary and step in the metadata. */
  saveCheckpoint(): Uint8Array {
    return encodeCheckpoint(this.model.stateDict(), {
      config: this.config,
      symbols: [...this.task.symbols],
      labelNames: [...this.task.labelNames],
      step: this.step,
    });
  }
}
