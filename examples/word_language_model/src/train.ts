import * as rk from "rnnkit";
import { getBatch } from "./data.js";
import { repackageHidden, type RNNModel } from "./model.js";

/** What one training epoch needs (main.py's arguments). */
export interface EpochOptions {
  lr: number;
  bptt: number;
  batchSize: number;
  /** Max gradient norm; 0 turns clipping off. */
  clip: number;
  /** Stop after this many batches (main.py's --dry-run stops after one). */
  maxBatches?: number;
  logInterval?: number;
  /** Called every `logInterval` batches with the mean loss since the last report. */
  onLog?: (batch: number, batches: number, meanLoss: number, msPerBatch: number) => void;
}

/**
 * One pass over `trainData` `(nbatch, batchSize)` in chunks of `bptt` steps: the hidden state is
 * carried across chunks but detached (truncated BPTT), gradients are clipped, and each parameter
 * moves by `-lr · grad` (plain SGD, as main.py writes it). Returns every batch's loss.
 */
export function trainEpoch(model: RNNModel, trainData: rk.Tensor, o: EpochOptions): number[] {
  model.train();
  const losses: number[] = [];
  let total = 0;
  let start = performance.now();
  const batches = Math.floor(trainData.size(0) / o.bptt);
  let hidden = model.initHidden(o.batchSize);
  for (let batch = 0, i = 0; i < trainData.size(0) - 1; batch++, i += o.bptt) {
    if (o.maxBatches !== undefined && batch >= o.maxBatches) break;
    const [data, targets] = getBatch(trainData, i, o.bptt);
    // Detach the state from how it was produced, or backward would run to the start of the data.
    hidden = repackageHidden(hidden);
    model.zeroGrad();
    let output: rk.Tensor;
    [output, hidden] = model.forward(data, hidden);
    const loss = rk.nn.functional.nllLoss(output, targets);
    loss.backward();
    // clipGradNorm keeps the exploding-gradient problem of RNNs in check.
    if (o.clip > 0) rk.nn.utils.clipGradNorm(model.parameters(), o.clip);
    rk.noGrad(() => {
      for (const p of model.parameters()) if (p.grad) p.add_(p.grad, { alpha: -o.lr });
    });
    const value = loss.item();
    losses.push(value);
    total += value;
    const every = o.logInterval ?? 200;
    if (batch % every === 0 && batch > 0) {
      o.onLog?.(batch, batches, total / every, (performance.now() - start) / every);
      total = 0;
      start = performance.now();
    }
  }
  return losses;
}

/** Mean per-token loss over `source` `(n, evalBatchSize)`, dropout off, no graph (main.py's evaluate). */
export function evaluate(model: RNNModel, source: rk.Tensor, bptt: number): number {
  model.eval();
  let total = 0;
  let hidden = model.initHidden(source.size(1));
  rk.noGrad(() => {
    for (let i = 0; i < source.size(0) - 1; i += bptt) {
      const [data, targets] = getBatch(source, i, bptt);
      let output: rk.Tensor;
      [output, hidden] = model.forward(data, hidden);
      hidden = repackageHidden(hidden);
      total += data.size(0) * rk.nn.functional.nllLoss(output, targets).item();
    }
  });
  return total / (source.size(0) - 1);
}
