import type { Generator, Tensor } from "@rnnkit/autograd";
import { checkDropoutP, dropout } from "./functional/dropout.js";
import { Module, pyFloat, ownLayers } from "./module.js";

/**
 * In training, zeroes each element with probability `p` (default 0.5) and scales the rest by
 * 1 / (1 − p); after `eval()` it is the identity. Any shape → same shape.
 * @example
 * const drop = new Dropout(0.2);
 * drop.forward(x); drop.eval(); drop.forward(x) === x;
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, opts: { generator?: Generator } = {}) {
    super();
    checkDropoutP(p, "Dropout");
    this.p = p;
    this.generator = opts.generator;
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }

  /** Any shape → same shape (masked in training, unchanged in eval). */
  forward(input: Tensor): Tensor {
    return dropout(input, { p: this.p, training: this.training, generator: this.generator });
  }
}

ownLayers(Dropout);
