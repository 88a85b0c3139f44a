import * as rk from "rnnkit";

/** The recurrent layer kinds of main.py's `--model`. */
export type RNNType = "LSTM" | "GRU" | "RNN_TANH" | "RNN_RELU";

/** An LSTM's `[h, c]` or a GRU/RNN's `h`, each `(nlayers, batch, nhid)`. */
export type Hidden = rk.Tensor | [rk.Tensor, rk.Tensor];

/** Options of {@link RNNModel}. */
export interface RNNModelOptions {
  dropout?: number;
  /** Share the embedding matrix with the decoder (needs nhid === ninp). */
  tieWeights?: boolean;
}

/**
 * Embedding → dropout → RNN/LSTM/GRU → dropout → Linear → log-softmax over the vocabulary,
 * model.py's RNNModel: `input (seq, batch)` int32 → `(seq · batch, ntoken)` log-probabilities.
 */
export class RNNModel extends rk.nn.Module {
  readonly ntoken: number;
  readonly rnnType: RNNType;
  readonly nhid: number;
  readonly nlayers: number;
  drop: rk.nn.Dropout;
  encoder: rk.nn.Embedding;
  rnn: rk.nn.LSTM | rk.nn.GRU | rk.nn.RNN;
  decoder: rk.nn.Linear;

  constructor(rnnType: RNNType, ntoken: number, ninp: number, nhid: number, nlayers: number, opts: RNNModelOptions = {}) {
    super();
    const dropout = opts.dropout ?? 0.5;
    this.ntoken = ntoken;
    this.drop = new rk.nn.Dropout(dropout);
    this.encoder = new rk.nn.Embedding(ntoken, ninp);
    if (rnnType === "LSTM") this.rnn = new rk.nn.LSTM(ninp, nhid, { numLayers: nlayers, dropout });
    else if (rnnType === "GRU") this.rnn = new rk.nn.GRU(ninp, nhid, { numLayers: nlayers, dropout });
    else if (rnnType === "RNN_TANH" || rnnType === "RNN_RELU") {
      this.rnn = new rk.nn.RNN(ninp, nhid, { numLayers: nlayers, nonlinearity: rnnType === "RNN_TANH" ? "tanh" : "relu", dropout });
    } else {
      throw new Error(`RNNModel: an invalid option for --model was supplied (${String(rnnType)}); options are LSTM, GRU, RNN_TANH or RNN_RELU`);
    }
    this.decoder = new rk.nn.Linear(nhid, ntoken);
    // "Using the Output Embedding to Improve Language Models" (Press & Wolf 2016).
    if (opts.tieWeights) {
      if (nhid !== ninp) throw new Error("RNNModel: when using the tied flag, nhid must be equal to emsize");
      this.decoder.weight = this.encoder.weight;
    }
    this.rnnType = rnnType;
    this.nhid = nhid;
    this.nlayers = nlayers;
    this.initWeights();
  }

  /** Embedding and decoder U(−0.1, 0.1), decoder bias 0 (drawn after the layers' own init, as torch). */
  initWeights(): void {
    const r = 0.1;
    rk.nn.init.uniform_(this.encoder.weight, -r, r);
    rk.nn.init.zeros_(this.decoder.bias!);
    rk.nn.init.uniform_(this.decoder.weight, -r, r);
  }

  forward(input: rk.Tensor, hidden: Hidden): [rk.Tensor, Hidden] {
    const emb = this.drop.forward(this.encoder.forward(input));
    let output: rk.Tensor;
    let next: Hidden;
    if (this.rnn instanceof rk.nn.LSTM) [output, next] = this.rnn.forward(emb, hidden as [rk.Tensor, rk.Tensor]);
    else [output, next] = this.rnn.forward(emb, hidden as rk.Tensor);
    const decoded = this.decoder.forward(this.drop.forward(output)).view(-1, this.ntoken);
    return [rk.F.logSoftmax(decoded, { dim: 1 }), next];
  }

  /** Zero state for `bsz` streams: `[h, c]` for an LSTM. */
  initHidden(bsz: number): Hidden {
    const weight = this.parameters()[0]!;
    const zeros = () => weight.newZeros(this.nlayers, bsz, this.nhid);
    return this.rnnType === "LSTM" ? [zeros(), zeros()] : zeros();
  }
}

/** The state with its history cut off, so backward stops at this batch (truncated BPTT). */
export function repackageHidden(h: Hidden): Hidden {
  return h instanceof rk.Tensor ? h.detach() : [h[0].detach(), h[1].detach()];
}
