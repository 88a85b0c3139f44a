import type { Tensor } from "@rnnkit/autograd";
import { splitAlong } from "./splitAlong.js";

/**
 * The weights one recurrent step uses, in torch's layout: `weightIh` `(G·H, in)`, `weightHh`
 * `(G·H, R)`, biases `(G·H)`, and LSTM's optional projection `weightHr` `(R, H)`, where G is
 * the gate count, H the hidden size and R the size of h (`projSize`, or H without one).
 */
export interface CellWeights {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;
  weightHr: Tensor | null;
}

/**
 * A recurrent step: input gates `gi` (`x · W_ihᵀ + b_ih`, shape `(B, G·H)`) and the state
 * (`[h]`, or `[h, c]` for LSTM, each `(B, ·)`) to the next state. `state[0]` is the output h.
 * Pure: the same arguments always give the same values, so a fused kernel can be checked
 * against it.
 */
export type CellStep = (gi: Tensor, state: readonly Tensor[], w: CellWeights) => Tensor[];

/** `x · Wᵀ + b` for `x` `(N, in)`, `weight` `(out, in)`: the affine map every gate uses. */
export function affine(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const y = x.matmul(weight.t());
  return bias ? y.add(bias) : y;
}

/**
 * The input half of every gate for all rows at once: `x · W_ihᵀ + b_ih`, `(N, in) → (N, G·H)`.
 * Run once over a whole sequence before the time loop.
 */
export function inputGates(x: Tensor, w: CellWeights): Tensor {
  return affine(x, w.weightIh, w.biasIh);
}

/** The hidden half of every gate: `h · W_hhᵀ + b_hh`, `(B, R) → (B, G·H)`. */
function hiddenGates(h: Tensor, w: CellWeights): Tensor {
  return affine(h, w.weightHh, w.biasHh);
}

function needState(state: readonly Tensor[], n: number, step: string): Tensor[] {
  if (state.length !== n) throw new Error(`${step}: expected a state of ${n} tensor(s), got ${state.length}`);
  return state as Tensor[];
}

/** Elman step with tanh: `h' = tanh(gi + h · W_hhᵀ + b_hh)`. */
export const rnnTanhStep: CellStep = (gi, state, w) => {
  const [h] = needState(state, 1, "rnnTanhStep");
  return [gi.add(hiddenGates(h!, w)).tanh()];
};

/** Elman step with relu: `h' = relu(gi + h · W_hhᵀ + b_hh)`. */
export const rnnReluStep: CellStep = (gi, state, w) => {
  const [h] = needState(state, 1, "rnnReluStep");
  return [gi.add(hiddenGates(h!, w)).relu()];
};

/**
 * LSTM step, gates in torch's order i, f, g, o:
 * `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')`, then `h' = h' · W_hrᵀ` with a projection.
 */
export const lstmStep: CellStep = (gi, state, w) => {
  const [h, c] = needState(state, 2, "lstmStep");
  const gates = gi.add(hiddenGates(h!, w));
  const hidden = c!.shape[c!.ndim - 1]!;
  const [i, f, g, o] = splitAlong(gates, gates.ndim - 1, [hidden, hidden, hidden, hidden]);
  const c2 = f!.sigmoid().mul(c!).add(i!.sigmoid().mul(g!.tanh()));
  const h2 = o!.sigmoid().mul(c2.tanh());
  return [w.weightHr ? h2.matmul(w.weightHr.t()) : h2, c2];
};

/**
 * GRU step, gates in torch's order r, z, n:
 * `r = σ(i_r + h_r)`, `z = σ(i_z + h_z)`, `n = tanh(i_n + r ⊙ (W_hn h + b_hn))`,
 * `h' = n + z ⊙ (h − n)` (that is `(1 − z) ⊙ n + z ⊙ h`).
 */
export const gruStep: CellStep = (gi, state, w) => {
  const [h] = needState(state, 1, "gruStep");
  const gh = hiddenGates(h!, w);
  const hidden = h!.shape[h!.ndim - 1]!;
  const sizes = [hidden, hidden, hidden];
  const [ir, iz, inn] = splitAlong(gi, gi.ndim - 1, sizes);
  const [hr, hz, hn] = splitAlong(gh, gh.ndim - 1, sizes);
  const r = ir!.add(hr!).sigmoid();
  const z = iz!.add(hz!).sigmoid();
  const n = inn!.add(r.mul(hn!)).tanh();
  return [h!.sub(n).mul(z).add(n)];
};
