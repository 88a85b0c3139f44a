import { cat, defaultGenerator, Tensor } from "@rnnkit/autograd";
import { NDArray } from "@rnnkit/tensor";
import type { CellStep, CellWeights } from "./cells.js";
import { splitAlong } from "./splitAlong.js";

// The time loops of one layer and direction over packed rows: `gi` holds the input gates of
// every step, step t's rows following step t−1's, `batchSizes[t]` of them (longest first).

/**
 * Inverted dropout exactly as torch's RNN applies it between layers: a Bernoulli(1 − p) mask
 * drawn one element at a time from the global generator, scaled by 1/(1 − p).
 */
export function dropoutRows(x: Tensor, p: number): Tensor {
  if (p === 1) return x.mul(0);
  const keep = 1 - p;
  const scale = Math.fround(1 / Math.fround(keep));
  const noise = NDArray.zeros(x.shape, x.dtype);
  for (let i = 0; i < noise.data.length; i++) noise.data[i] = defaultGenerator.bernoulli(keep) * scale;
  return x.mul(new Tensor(noise));
}

/** One direction's output rows `(N, R)` and its final state (each `(B, ·)`). */
export interface DirectionResult {
  output: Tensor;
  final: Tensor[];
}

/**
 * Forward in time over packed rows. When the batch shrinks at a step, the rows that end there
 * are that sequence's final state (sequences are stored longest first).
 */
export function runForward(step: CellStep, gi: Tensor, batchSizes: readonly number[], h0: readonly Tensor[], w: CellWeights): DirectionResult {
  const giSteps = splitAlong(gi, 0, batchSizes);
  let state = [...h0];
  let cur = batchSizes[0] ?? 0;
  const ended: Tensor[][] = h0.map(() => []);
  const outs: Tensor[] = [];
  batchSizes.forEach((bs, t) => {
    if (bs < cur) {
      state = state.map((s, i) => {
        const [keep, done] = splitAlong(s, 0, [bs, cur - bs]);
        ended[i]!.push(done!);
        return keep!;
      });
      cur = bs;
    }
    state = step(giSteps[t]!, state, w);
    outs.push(state[0]!);
  });
  const final = state.map((s, i) => {
    const pieces = [s, ...ended[i]!.reverse()];
    return pieces.length === 1 ? s : cat(pieces, 0);
  });
  return { output: outs.length === 1 ? outs[0]! : cat(outs, 0), final };
}

/**
 * Backward in time over packed rows: starts with the sequences that reach the last step and
 * brings in each other sequence's initial state at its own last step.
 */
export function runReverse(step: CellStep, gi: Tensor, batchSizes: readonly number[], h0: readonly Tensor[], w: CellWeights): DirectionResult {
  const giSteps = splitAlong(gi, 0, batchSizes);
  const steps = batchSizes.length;
  let cur = batchSizes[steps - 1] ?? 0;
  const full = batchSizes[0] ?? 0;
  let state = h0.map((s) => (cur === full ? s : s.narrow(0, 0, cur)));
  const outs = new Array<Tensor>(steps);
  for (let t = steps - 1; t >= 0; t--) {
    const bs = batchSizes[t]!;
    if (bs > cur) {
      const from = cur;
      state = state.map((s, i) => cat([s, h0[i]!.narrow(0, from, bs - from)], 0));
      cur = bs;
    }
    state = step(giSteps[t]!, state, w);
    outs[t] = state[0]!;
  }
  return { output: outs.length === 1 ? outs[0]! : cat(outs, 0), final: state };
}
