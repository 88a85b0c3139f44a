import type { Tensor } from "@rnnkit/autograd";
import { rnnReluStep, rnnTanhStep } from "./cells.js";
import { rnnMode, type RNNNonlinearity } from "./rnn.js";
import { RNNCellBase, type RNNCellBaseOptions } from "./rnnCellBase.js";
import { ownLayers } from "../module.js";

/** Options of `RNNCell`. */
export interface RNNCellOptions extends RNNCellBaseOptions {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: RNNNonlinearity;
}

/**
 * One Elman step: `h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)` (or relu). Input
 * `(B, inputSize)` or `(inputSize)`, h `(B, hiddenSize)` or `(hiddenSize)` (zeros when omitted).
 * @example
 * const cell = new RNNCell(4, 4);
 * let h = zeros([1, 4]);
 * for (const x of xs) h = cell.forward(x, h); // x [1, 4]
 */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    const nonlinearity = opts.nonlinearity ?? "tanh";
    rnnMode(nonlinearity, "RNNCell");
    super("RNNCell", 1, inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  protected get opName(): string {
    return "RNNCell";
  }

  /** The next hidden state, `(B, hiddenSize)` or `(hiddenSize)`. */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const step = this.nonlinearity === "relu" ? rnnReluStep : rnnTanhStep;
    return this.runStep(step, input, [hx ?? null], ["hx"])[0]!;
  }
}

ownLayers(RNNCell);
