import type { Tensor } from "@rnnkit/autograd";
import { lstmStep } from "./cells.js";
import type { LSTMState } from "./lstm.js";
import { RNNCellBase, type RNNCellBaseOptions } from "./rnnCellBase.js";
import { ownLayers } from "../module.js";

/**
 * One LSTM step, gates i, f, g, o: `c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)`, `h' = σ(o) ⊙ tanh(c')`.
 * Input `(B, inputSize)` or `(inputSize)`; state `[h, c]` each `(B, hiddenSize)` (zeros when
 * omitted). Returns `[h', c']`.
 * @example
 * const cell = new LSTMCell(10, 20);
 * const [h, c] = cell.forward(randn([3, 10])); // h, c [3, 20]
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellBaseOptions = {}) {
    super("LSTMCell", 4, inputSize, hiddenSize, opts);
  }

  protected get opName(): string {
    return "LSTMCell";
  }

  /** The next `[h, c]`, each `(B, hiddenSize)` or `(hiddenSize)`. */
  forward(input: Tensor, hx?: LSTMState | null): LSTMState {
    if (hx && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new Error(`LSTMCell.forward: the state must be a pair [h, c], got ${Array.isArray(hx) ? `${hx.length} tensor(s)` : typeof hx}`);
    }
    const [h, c] = this.runStep(lstmStep, input, hx ? hx : [null, null], ["hx[0]", "hx[1]"]);
    return [h!, c!];
  }
}

ownLayers(LSTMCell);
