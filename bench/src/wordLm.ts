// W7 on rnnkit: pytorch/examples word_language_model (LSTM, untied), shrunk as the workload says.
// The step is the example's `train()` body: detach the carried state, zero the gradients,
// forward through Embedding → Dropout → LSTM → Dropout → Linear → log_softmax, NLLLoss,
// backward, clip_grad_norm_(0.25), SGD with lr 20.
import type * as RK from "rnnkit";
import { wordTokens } from "./wordCorpus.js";
import { workload } from "./workloads.js";

/** A W7 training step, and the same step returning `performance.now()` after each phase. */
export function wordLmStep(rk: typeof RK): { step: () => void; phases: () => number[] } {
  const w = workload("W7");
  rk.manualSeed(0);
  const encoder = new rk.nn.Embedding(w.vocab, w.embedding);
  const rnn = new rk.nn.LSTM(w.embedding, w.hidden, { numLayers: w.layers, dropout: w.dropout });
  const decoder = new rk.nn.Linear(w.hidden, w.vocab);
  const drop = new rk.nn.Dropout(w.dropout);
  const params = [...encoder.parameters(), ...rnn.parameters(), ...decoder.parameters()];
  const opt = new rk.optim.SGD(params, { lr: w.lr });
  const lossFn = new rk.nn.NLLLoss();
  // batchify: the token stream cut into `batch` columns, then bptt-long windows down them.
  const tokens = wordTokens(w.vocab);
  const rows = Math.floor(tokens.length / w.batch);
  const columns = rk.tensor(tokens.subarray(0, rows * w.batch), { dtype: "int32", shape: [w.batch, rows] }).t().contiguous();
  let at = 0;
  let state: [RK.Tensor, RK.Tensor] = [rk.zeros([w.layers, w.batch, w.hidden]), rk.zeros([w.layers, w.batch, w.hidden])];
  const phases = (): number[] => {
    if (at + w.seq + 1 > rows) at = 0;
    const x = columns.narrow(0, at, w.seq);
    const y = columns.narrow(0, at + 1, w.seq).reshape([-1]);
    at += w.seq;
    const t = [performance.now()];
    state = [state[0].detach(), state[1].detach()];
    opt.zeroGrad();
    t.push(performance.now());
    const emb = drop.forward(encoder.forward(x));
    t.push(performance.now());
    const [out, next] = rnn.forward(emb, state);
    state = next;
    t.push(performance.now());
    const decoded = decoder.forward(drop.forward(out).reshape([-1, w.hidden]));
    t.push(performance.now());
    const loss = lossFn.forward(rk.F.logSoftmax(decoded, 1), y);
    t.push(performance.now());
    loss.backward();
    t.push(performance.now());
    rk.nn.utils.clipGradNorm(params, w.clip);
    t.push(performance.now());
    opt.step();
    t.push(performance.now());
    return t;
  };
  return { step: () => void phases(), phases };
}
