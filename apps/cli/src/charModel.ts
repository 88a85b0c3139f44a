import * as rk from "rnnkit";

/** Which recurrent layer a model uses. */
export type CellKind = "rnn" | "lstm" | "gru";
/** Every `CellKind`, for option choices and checks. */
export const CELL_KINDS: readonly CellKind[] = ["rnn", "lstm", "gru"];

/** Hidden state of a recurrent layer: `h` for RNN/GRU, `[h, c]` for LSTM. */
export type RecurrentState = rk.Tensor | [rk.Tensor, rk.Tensor];

/** A stack of recurrent layers of one kind (batch-first), behind one call shape. */
export type Recurrent = rk.nn.RNN | rk.nn.LSTM | rk.nn.GRU;

/** Builds `kind`'s layer: `(inputSize → hiddenSize) × layers`, batch-first. */
export function makeRecurrent(kind: CellKind, inputSize: number, hiddenSize: number, layers: number, dropout: number): Recurrent {
  const opts = { numLayers: layers, batchFirst: true, dropout: layers > 1 ? dropout : 0 };
  if (kind === "lstm") return new rk.nn.LSTM(inputSize, hiddenSize, opts);
  if (kind === "gru") return new rk.nn.GRU(inputSize, hiddenSize, opts);
  return new rk.nn.RNN(inputSize, hiddenSize, opts);
}

/** Runs `rnn` on `(B, T, I)` input (a PackedSequence, or ids with their embedding) from `state`, for any kind. */
export function runRecurrent<X extends rk.Tensor | rk.nn.utils.rnn.PackedSequence>(rnn: Recurrent, input: X, state?: RecurrentState): [X, RecurrentState];
export function runRecurrent(rnn: Recurrent, input: rk.nn.EmbeddedSequence, state?: RecurrentState): [rk.Tensor, RecurrentState];
export function runRecurrent<X extends rk.Tensor | rk.nn.utils.rnn.PackedSequence>(
  rnn: Recurrent,
  input: X | rk.nn.EmbeddedSequence,
  state?: RecurrentState,
): [X, RecurrentState] {
  if (rnn instanceof rk.nn.LSTM) {
    const [out, hc] = rnn.forward(input, state as [rk.Tensor, rk.Tensor] | undefined);
    return [out as X, hc];
  }
  const [out, h] = rnn.forward(input, state as rk.Tensor | undefined);
  return [out as X, h];
}

/** The state with its graph history cut (truncated BPTT keeps the values, not the graph). */
export function detachState(s: RecurrentState): RecurrentState {
  return Array.isArray(s) ? [s[0].detach(), s[1].detach()] : s.detach();
}

/**
 * Configuration of a character language model, stored as JSON in the checkpoint. One definition
 * with the PyTorch project writer, which reads the same metadata.
 */
export type CharLMConfig = rk.torchExport.CharLMConfig;

/**
 * Character language model: `Embedding(V, E) → RNN/LSTM/GRU(E, H, layers, batch_first) →
 * Dropout → Linear(H, V)`. State-dict keys `embed.weight`, `rnn.weight_ih_l0`, …,
 * `head.weight`, `head.bias` match the PyTorch module of apps/cli/README.md.
 * @example const m = new CharLM({ model: "lstm", vocabSize: 60, embedding: 32, hidden: 128, layers: 1, dropout: 0 });
 */
export class CharLM extends rk.nn.Module {
  embed: rk.nn.Embedding;
  rnn: Recurrent;
  drop: rk.nn.Dropout;
  head: rk.nn.Linear;

  constructor(readonly config: CharLMConfig) {
    super();
    this.embed = new rk.nn.Embedding(config.vocabSize, config.embedding);
    this.rnn = makeRecurrent(config.model, config.embedding, config.hidden, config.layers, config.dropout);
    this.drop = new rk.nn.Dropout(config.dropout);
    this.head = new rk.nn.Linear(config.hidden, config.vocabSize);
  }

  /** `ids (B, T) int32` → `[logits (B, T, V), next state]`. */
  forward(ids: rk.Tensor, state?: RecurrentState): [rk.Tensor, RecurrentState] {
    // The layer projects the embedding table instead of every looked-up row (nn.EmbeddedSequence).
    const [out, next] = runRecurrent(this.rnn, new rk.nn.EmbeddedSequence(this.embed, ids), state);
    return [this.head.forward(this.drop.forward(out)), next];
  }
}
