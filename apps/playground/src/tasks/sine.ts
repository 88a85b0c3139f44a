import * as rk from "rnnkit";
import type { PlaygroundNet } from "../model.js";
import type { Batch, Predictions, Task } from "./task.js";

/**
 * Sine-wave forecasting: from x(t) predict x(t + 1) at every step, for waves of random
 * frequency and phase. Loss: mean squared error.
 */
export class SineTask implements Task {
  readonly name = "sine-wave forecasting";
  readonly kind = "regression" as const;
  readonly symbols: readonly string[] = [];
  readonly inputSize = 1;
  readonly outputs = 1;
  readonly labelNames: readonly string[] = [];
  private readonly gen: rk.Generator;
  private readonly val: Batch;

  constructor(
    private readonly seqLen: number,
    private readonly batchSize: number,
    seed: number,
  ) {
    this.gen = new rk.Generator(seed + 1);
    this.val = this.makeBatch(new rk.Generator(seed + 2), 32);
  }

  private makeBatch(g: rk.Generator, n: number): Batch {
    const T = this.seqLen;
    const xs = new Float32Array(n * T);
    const ys = new Float32Array(n * T);
    for (let b = 0; b < n; b++) {
      const freq = 0.1 + 0.3 * g.uniform();
      const phase = 2 * Math.PI * g.uniform();
      for (let t = 0; t < T; t++) {
        xs[b * T + t] = Math.sin(freq * t + phase);
        ys[b * T + t] = Math.sin(freq * (t + 1) + phase);
      }
    }
    return { x: rk.tensor(xs, { shape: [n, T, 1] }), y: rk.tensor(ys, { shape: [n, T, 1] }) };
  }

  nextBatch(): Batch {
    return this.makeBatch(this.gen, this.batchSize);
  }
  validationBatch(): Batch {
    return this.val;
  }
  loss(model: PlaygroundNet, batch: Batch): rk.Tensor {
    const [out] = model.forward(batch.x);
    return rk.F.mseLoss(out, batch.y);
  }
  predictions(model: PlaygroundNet): Predictions {
    const x = this.val.x.narrow(0, 0, 1);
    const out = rk.noGrad(() => model.forward(x)[0]);
    return {
      kind: "series",
      input: Array.from(x.data()),
      target: Array.from(this.val.y.narrow(0, 0, 1).data()),
      predicted: Array.from(out.data()),
    };
  }
  example(): { x: rk.Tensor; steps: string[] } {
    const x = this.val.x.narrow(0, 0, 1);
    return { x, steps: Array.from(x.data(), (v) => v.toFixed(2)) };
  }
}
