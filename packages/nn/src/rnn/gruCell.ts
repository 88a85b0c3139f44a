import type { Tensor } from "@rnnkit/autograd";
import { gruStep } from "./cells.js";
import { RNNCellBase, type RNNCellBaseOptions } from "./rnnCellBase.js";
import { ownLayers } from "../module.js";

/**
 * One GRU step, gates r, z, n: `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`,
 * `h' = (1 − z) ⊙ n + z ⊙ h`. Input `(B, inputSize)` or `(inputSize)`, h `(B, hiddenSize)`
 * or `(hiddenSize)` (zeros when omitted).
 * @example
 * const cell = new GRUCell(10, 20);
 * const h = cell.forward(randn([3, 10])); // [3, 20]
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions = {}) {
    super("GRUCell", 3, inputSize, hiddenSize, opts);
  }

  protected get opName(): string {
    return "GRUCell";
  }

  /** The next hidden state, `(B, hiddenSize)` or `(hiddenSize)`. */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    return this.runStep(gruStep, input, [hx ?? null], ["hx"])[0]!;
  }
}

ownLayers(GRUCell);
