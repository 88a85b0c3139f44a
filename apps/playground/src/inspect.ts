import * as rk from "rnnkit";
import type { PlaygroundNet } from "./model.js";

/** A named matrix for a heatmap: `rows × cols` values with row and column labels. */
export interface Heatmap {
  title: string;
  rowLabels: string[];
  colLabels: string[];
  values: number[][];
}

/** What the "inside the model" panel draws for one example. */
export interface Inspection {
  /** Per layer: hidden state over time (`hidden × steps`). */
  hidden: Heatmap[];
  /** LSTM: i, f, g, o gates and cell state of layer 0; GRU: r, z, n. Each `hidden × steps`. */
  gates: Heatmap[];
  /** The first layer's weight matrices. */
  weights: Heatmap[];
}

const GATES: Record<string, string[]> = { lstm: ["i", "f", "g", "o"], gru: ["r", "z", "n"] };

function toColumns(rows: number[][]): number[][] {
  // rows: [steps][hidden] → [hidden][steps]
  const h = rows[0]?.length ?? 0;
  return Array.from({ length: h }, (_, j) => rows.map((r) => r[j]!));
}

/**
 * Recomputes the forward direction of every layer step by step from the model's own weights,
 * recording hidden states and gate activations (the same equations as torch's cells).
 */
export function inspect(model: PlaygroundNet, x: rk.Tensor, steps: string[]): Inspection {
  return rk.noGrad(() => {
    const sd = model.rnn.stateDict();
    const cell = model.config.cell;
    const H = model.config.hiddenSize;
    let layerInput = model.encode(x).select(0, 0); // [T, features]
    const T = layerInput.shape[0]!;
    const hidden: Heatmap[] = [];
    const gates: Heatmap[] = [];
    const rowLabels = Array.from({ length: H }, (_, j) => `h${j}`);
    for (let layer = 0; layer < model.config.numLayers; layer++) {
      const wih = sd[`weight_ih_l${layer}`]!;
      const whh = sd[`weight_hh_l${layer}`]!;
      const bih = sd[`bias_ih_l${layer}`];
      const bhh = sd[`bias_hh_l${layer}`];
      let h = rk.zeros([H]);
      let c = rk.zeros([H]);
      const hs: number[][] = [];
      const gateRows: number[][][] = (GATES[cell] ?? []).map(() => []);
      const cs: number[][] = [];
      for (let t = 0; t < T; t++) {
        const xt = layerInput.select(0, t);
        let gi = wih.matmul(xt);
        if (bih) gi = gi.add(bih);
        let gh = whh.matmul(h);
        if (bhh) gh = gh.add(bhh);
        if (cell === "lstm") {
          const [i, f, g, o] = gi.add(gh).chunk(4, 0) as [rk.Tensor, rk.Tensor, rk.Tensor, rk.Tensor];
          const [si, sf, tg, so] = [i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()];
          c = sf.mul(c).add(si.mul(tg));
          h = so.mul(c.tanh());
          [si, sf, tg, so].forEach((v, k) => gateRows[k]!.push(Array.from(v.data())));
          cs.push(Array.from(c.data()));
        } else if (cell === "gru") {
          const [ir, iz, inn] = gi.chunk(3, 0) as [rk.Tensor, rk.Tensor, rk.Tensor];
          const [hr, hz, hn] = gh.chunk(3, 0) as [rk.Tensor, rk.Tensor, rk.Tensor];
          const r = ir.add(hr).sigmoid();
          const z = iz.add(hz).sigmoid();
          const n = inn.add(r.mul(hn)).tanh();
          h = z.rsub(1).mul(n).add(z.mul(h));
          [r, z, n].forEach((v, k) => gateRows[k]!.push(Array.from(v.data())));
        } else {
          const pre = gi.add(gh);
          h = cell === "rnn-relu" ? pre.relu() : pre.tanh();
        }
        hs.push(Array.from(h.data()));
      }
      hidden.push({ title: `hidden state, layer ${layer}`, rowLabels, colLabels: steps, values: toColumns(hs) });
      if (layer === 0) {
        (GATES[cell] ?? []).forEach((name, k) => {
          gates.push({ title: `gate ${name} (layer 0)`, rowLabels, colLabels: steps, values: toColumns(gateRows[k]!) });
        });
        if (cell === "lstm") gates.push({ title: "cell state c (layer 0)", rowLabels, colLabels: steps, values: toColumns(cs) });
      }
      layerInput = rk.tensor(hs);
    }
    const weights: Heatmap[] = ["weight_ih_l0", "weight_hh_l0"].map((k) => {
      const w = sd[k]!;
      const rows = w.toArray() as number[][];
      return {
        title: k,
        rowLabels: rows.map((_, i) => `${i}`),
        colLabels: (rows[0] ?? []).map((_, j) => `${j}`),
        values: rows,
      };
    });
    return { hidden, gates, weights };
  });
}
