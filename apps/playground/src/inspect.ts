import * as rk from "rnnkit";
import type { PlaygroundNet } from "./model.js";

/**
 * A named matrix for a heatmap: `rows × cols` values (row-major) with labels, at most
 * `MAX_ROWS × MAX_COLS` cells (larger matrices are down-sampled; `note` then says how).
 */
export interface Heatmap {
  title: string;
  rows: number;
  cols: number;
  values: Float32Array;
  rowLabels: string[];
  colLabels: string[];
  /** Largest magnitude among the values: the colour scale runs from -maxAbs to +maxAbs. */
  maxAbs: number;
  /** How the shown matrix was made from a larger one, when it was. */
  note?: string;
}

/** Which groups of views to compute (only the visible ones are asked for). */
export interface ViewRequest {
  hidden: boolean;
  gates: boolean;
  weights: boolean;
}

/** What the "inside the model" panel draws for one example. */
export interface Inspection {
  /** Per layer and direction: hidden state over time (`hidden × steps`). */
  hidden: Heatmap[];
  /** Layer 0, each direction: LSTM i, f, g, o gates and cell state; GRU r, z, n. Each `hidden × steps`. */
  gates: Heatmap[];
  /** The first layer's weight matrices, each direction. */
  weights: Heatmap[];
}

/** Most rows and columns a heatmap carries; larger matrices are down-sampled to fit. */
export const MAX_ROWS = 128;
export const MAX_COLS = 160;

const GATES: Record<string, string[]> = { lstm: ["i", "f", "g", "o"], gru: ["r", "z", "n"] };

/**
 * A heatmap of `src` (`rows × cols`, row-major). Beyond MAX_ROWS × MAX_COLS each shown cell is
 * the value of largest magnitude in its block, so strong weights stay visible.
 */
export function heatmapOf(title: string, src: ArrayLike<number>, rows: number, cols: number, rowLabel: (i: number) => string, colLabels: string[] | null): Heatmap {
  const br = Math.ceil(rows / MAX_ROWS);
  const bc = Math.ceil(cols / MAX_COLS);
  const r = Math.ceil(rows / br);
  const c = Math.ceil(cols / bc);
  const values = new Float32Array(r * c);
  let maxAbs = 0;
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      let best = 0;
      for (let a = i * br; a < Math.min(rows, (i + 1) * br); a++) {
        for (let b = j * bc; b < Math.min(cols, (j + 1) * bc); b++) {
          const v = src[a * cols + b]!;
          if (Math.abs(v) > Math.abs(best)) best = v;
        }
      }
      values[i * c + j] = best;
      maxAbs = Math.max(maxAbs, Math.abs(best));
    }
  }
  const span = (k: number, size: number, n: number, f: (x: number) => string) => (size === 1 ? f(k) : `${f(k * size)}–${f(Math.min(n, (k + 1) * size) - 1)}`);
  const map: Heatmap = {
    title,
    rows: r,
    cols: c,
    values,
    rowLabels: Array.from({ length: r }, (_, i) => span(i, br, rows, rowLabel)),
    colLabels: Array.from({ length: c }, (_, j) => span(j, bc, cols, (k) => colLabels?.[k] ?? String(k))),
    maxAbs,
  };
  if (br > 1 || bc > 1) map.note = `${rows}×${cols} shown as ${r}×${c}: each cell is the largest-magnitude value of a ${br}×${bc} block`;
  return map;
}

/** `[T][H]` rows → a `H × T` heatmap (one row per unit, one column per time step). */
function overTime(title: string, steps: number[][], labels: string[]): Heatmap {
  const T = steps.length;
  const H = steps[0]?.length ?? 0;
  const flat = new Float32Array(H * T);
  steps.forEach((row, t) => row.forEach((v, j) => (flat[j * T + t] = v)));
  return heatmapOf(title, flat, H, T, (j) => `h${j}`, labels);
}

interface DirectionTrace {
  hs: number[][];
  gates: number[][][];
  cs: number[][];
}

/** Runs one direction of one layer step by step (the equations of torch's cells), recording everything. */
function runDirection(sd: Record<string, rk.Tensor>, suffix: string, cell: string, H: number, input: rk.Tensor, reverse: boolean): DirectionTrace {
  const wih = sd[`weight_ih_${suffix}`]!;
  const whh = sd[`weight_hh_${suffix}`]!;
  const bih = sd[`bias_ih_${suffix}`];
  const bhh = sd[`bias_hh_${suffix}`];
  const T = input.shape[0]!;
  let h = rk.zeros([H]);
  let c = rk.zeros([H]);
  const trace: DirectionTrace = { hs: new Array<number[]>(T), gates: (GATES[cell] ?? []).map(() => new Array<number[]>(T)), cs: new Array<number[]>(T) };
  for (let k = 0; k < T; k++) {
    const t = reverse ? T - 1 - k : k;
    let gi = wih.matmul(input.select(0, t));
    if (bih) gi = gi.add(bih);
    let gh = whh.matmul(h);
    if (bhh) gh = gh.add(bhh);
    if (cell === "lstm") {
      const [i, f, g, o] = gi.add(gh).chunk(4, 0) as [rk.Tensor, rk.Tensor, rk.Tensor, rk.Tensor];
      const acts = [i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()] as const;
      c = acts[1].mul(c).add(acts[0].mul(acts[2]));
      h = acts[3].mul(c.tanh());
      acts.forEach((v, n) => (trace.gates[n]![t] = Array.from(v.data())));
      trace.cs[t] = Array.from(c.data());
    } else if (cell === "gru") {
      const [ir, iz, inn] = gi.chunk(3, 0) as [rk.Tensor, rk.Tensor, rk.Tensor];
      const [hr, hz, hn] = gh.chunk(3, 0) as [rk.Tensor, rk.Tensor, rk.Tensor];
      const r = ir.add(hr).sigmoid();
      const z = iz.add(hz).sigmoid();
      const n = inn.add(r.mul(hn)).tanh();
      h = z.rsub(1).mul(n).add(z.mul(h));
      [r, z, n].forEach((v, m) => (trace.gates[m]![t] = Array.from(v.data())));
    } else {
      const pre = gi.add(gh);
      h = cell === "rnn-relu" ? pre.relu() : pre.tanh();
    }
    trace.hs[t] = Array.from(h.data());
  }
  return trace;
}

/**
 * Recomputes every layer and direction step by step from the model's own weights, recording
 * hidden states and gate activations. A bidirectional layer's next input is the forward and
 * backward states side by side, as in torch. Only the groups `want` names are returned filled.
 */
export function inspect(model: PlaygroundNet, x: rk.Tensor, steps: string[], want: ViewRequest = { hidden: true, gates: true, weights: true }): Inspection {
  return rk.noGrad(() => {
    const sd = model.rnn.stateDict();
    const cell = model.config.cell;
    const H = model.config.hiddenSize;
    const dirs = model.config.bidirectional ? [false, true] : [false];
    const dirName = (rev: boolean) => (model.config.bidirectional ? (rev ? ", backward" : ", forward") : "");
    const hidden: Heatmap[] = [];
    const gates: Heatmap[] = [];
    if (want.hidden || want.gates) {
      let layerInput = model.encode(x).select(0, 0); // [T, features]
      const layers = want.hidden ? model.config.numLayers : 1;
      for (let layer = 0; layer < layers; layer++) {
        const traces = dirs.map((rev) => runDirection(sd, `l${layer}${rev ? "_reverse" : ""}`, cell, H, layerInput, rev));
        traces.forEach((tr, d) => {
          const rev = dirs[d]!;
          if (want.hidden) hidden.push(overTime(`hidden state, layer ${layer}${dirName(rev)}`, tr.hs, steps));
          if (want.gates && layer === 0) {
            (GATES[cell] ?? []).forEach((name, k) => gates.push(overTime(`gate ${name} (layer 0${dirName(rev)})`, tr.gates[k]!, steps)));
            if (cell === "lstm") gates.push(overTime(`cell state c (layer 0${dirName(rev)})`, tr.cs, steps));
          }
        });
        layerInput = rk.tensor(traces[0]!.hs.map((row, t) => traces.flatMap((tr) => (tr === traces[0] ? row : tr.hs[t]!))));
      }
    }
    const weights: Heatmap[] = [];
    if (want.weights) {
      for (const rev of dirs) {
        for (const k of ["weight_ih_l0", "weight_hh_l0"]) {
          const name = rev ? `${k}_reverse` : k;
          const w = sd[name]!;
          weights.push(heatmapOf(name, w.data(), w.shape[0]!, w.shape[1]!, String, null));
        }
      }
    }
    return { hidden, gates, weights };
  });
}
