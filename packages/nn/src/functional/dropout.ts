import { defaultGenerator, type Generator, Tensor } from "@rnnkit/autograd";
import { fmt, NDArray } from "@rnnkit/tensor";

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Drop only when true (default true); otherwise the input is returned unchanged. */
  training?: boolean;
  /** Where the random mask comes from (default: the global generator). */
  generator?: Generator;
}

/** Checks a dropout probability, naming the caller. */
export function checkDropoutP(p: number, op: string): void {
  if (!(typeof p === "number" && p >= 0 && p <= 1)) {
    throw new Error(`${op}: dropout probability has to be between 0 and 1, but got ${p}`);
  }
}

/**
 * Zeroes each element with probability p and scales the rest by 1 / (1 − p), in training only.
 * Draws torch's Bernoulli stream, so a seeded mask equals torch's. Any shape → same shape.
 * @example dropout(x, 0.2, { training: model.training })
 */
export function dropout(input: Tensor, p?: number | DropoutOptions, opts: Omit<DropoutOptions, "p"> = {}): Tensor {
  const o: DropoutOptions = typeof p === "object" ? p : { ...opts, p };
  const prob = o.p ?? 0.5;
  checkDropoutP(prob, "dropout");
  if (input.dtype === "int32") throw new Error(`dropout: input must be floating point, got int32 of shape ${fmt(input.shape)}`);
  if (prob === 0 || !(o.training ?? true) || input.numel() === 0) return input;
  if (prob === 1) return input.mul(0);
  const keep = 1 - prob;
  const scale = Math.fround(1 / Math.fround(keep));
  const gen = o.generator ?? defaultGenerator;
  const noise = new Float32Array(input.numel());
  for (let i = 0; i < noise.length; i++) noise[i] = gen.bernoulli(keep) * scale;
  return input.mul(new Tensor(new NDArray(noise, [...input.shape])));
}
