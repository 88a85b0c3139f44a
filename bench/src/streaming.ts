// W6 (streaming) and W8 (sampling) on rnnkit: batch 1, one time step per call, the recurrent
// state carried from call to call, under noGrad.
import { kjvText } from "@rnnkit/dataset-kjv";
import type * as RK from "rnnkit";
import type { Workload } from "./workloads.js";

/** W6: one step of a 2-layer LSTM or GRU (512 → 512) on a fixed input, (h, c) carried. */
export function streamStep(rk: typeof RK, w: Workload): () => void {
  rk.manualSeed(0);
  const x = rk.randn([1, 1, w.inputSize]);
  if (w.cell === "gru") {
    const gru = new rk.nn.GRU(w.inputSize, w.hidden, { numLayers: w.layers });
    let h = rk.zeros([w.layers, 1, w.hidden]);
    return () => {
      h = rk.noGrad(() => gru.forward(x, h)[1]);
    };
  }
  const lstm = new rk.nn.LSTM(w.inputSize, w.hidden, { numLayers: w.layers });
  let state: [RK.Tensor, RK.Tensor] = [rk.zeros([w.layers, 1, w.hidden]), rk.zeros([w.layers, 1, w.hidden])];
  return () => {
    state = rk.noGrad(() => lstm.forward(x, state)[1]);
  };
}

/** The CLI's `sample` loop for its default model, one character per call: forward, softmax(logits / 0.8), draw. */
export function sampleStep(rk: typeof RK, w: Workload): { step: () => void; vocab: number } {
  rk.manualSeed(0);
  const V = rk.data.CharVocab.fromText(kjvText()).size;
  const embed = new rk.nn.Embedding(V, w.embedding);
  const lstm = new rk.nn.LSTM(w.embedding, w.hidden, { batchFirst: true });
  const head = new rk.nn.Linear(w.hidden, V);
  const gen = new rk.Generator(1);
  let state: [RK.Tensor, RK.Tensor] | undefined;
  let id = 0;
  const step = (): void => {
    rk.noGrad(() => {
      const [out, next] = lstm.forward(embed.forward(rk.tensor(new Int32Array([id]), { shape: [1, 1], dtype: "int32" })), state);
      state = next;
      const p = head.forward(out.reshape([1, w.hidden])).reshape([-1]).div(0.8).softmax(0).data();
      const u = gen.uniform();
      let cum = 0;
      id = V - 1;
      for (let i = 0; i < V; i++) {
        cum += p[i]!;
        if (cum > u) {
          id = i;
          break;
        }
      }
    });
  };
  return { step, vocab: V };
}
