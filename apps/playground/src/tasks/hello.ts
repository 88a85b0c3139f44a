import * as rk from "rnnkit";
import type { PlaygroundNet } from "../model.js";
import type { Batch, Predictions, Task } from "./task.js";

/** The classic first exercise: learn to turn "hello" into "ohlol" (idx2char e, l, h, o). */
export class HelloTask implements Task {
  readonly name = "hello → ohlol";
  readonly kind = "sequence" as const;
  readonly symbols = ["e", "l", "h", "o"];
  readonly inputSize = 4;
  readonly outputs = 4;
  readonly labelNames: readonly string[] = [];
  private readonly batch: Batch = {
    x: rk.tensor([[2, 0, 1, 1, 3]], { dtype: "int32" }),
    y: rk.tensor([3, 2, 1, 3, 1], { dtype: "int32" }),
  };

  nextBatch(): Batch {
    return this.batch;
  }
  validationBatch(): Batch {
    return this.batch;
  }
  loss(model: PlaygroundNet, batch: Batch): rk.Tensor {
    const [out] = model.forward(batch.x);
    return rk.F.crossEntropy(out.reshape([-1, this.outputs]), batch.y);
  }
  predictions(model: PlaygroundNet): Predictions {
    const probs = rk.noGrad(() => model.forward(this.batch.x)[0].reshape([-1, this.outputs]).softmax(1));
    const rows = probs.toArray() as number[][];
    const predicted = rows.map((r) => this.symbols[r.indexOf(Math.max(...r))]!).join("");
    return { kind: "string", target: "ohlol", predicted, symbols: [...this.symbols], probs: rows };
  }
  example(): { x: rk.Tensor; steps: string[] } {
    return { x: this.batch.x, steps: ["h", "e", "l", "l", "o"] };
  }
}
