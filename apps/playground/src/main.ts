import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { rnnkitCode, pytorchCode } from "./codegen.js";
import { allowsBidirectional, type PlaygroundConfig } from "./config.js";
import { renderHeatmap } from "./heatmap.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { Predictions } from "./tasks/task.js";
import { chartData, editConfig, initialState, needsRebuild, onWorkerMessage, predictionHeadline, type UiState } from "./uiState.js";

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
let state: UiState = initialState();
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...kids);
  return e;
}

// ---- controls ----------------------------------------------------------------------------------
const controls = document.getElementById("controls")!;
const results = document.getElementById("results")!;

function field(label: string, input: HTMLElement, id: string): HTMLElement {
  input.id = id;
  return el("div", { className: "field" }, el("label", { htmlFor: id }, label), input);
}
function select<K extends keyof PlaygroundConfig>(key: K, options: [string, string][]): HTMLSelectElement {
  const s = el("select");
  for (const [v, t] of options) s.append(el("option", { value: v }, t));
  s.addEventListener("change", () => update(editConfig(state, key, s.value as PlaygroundConfig[K])));
  return s;
}
function numberInput<K extends keyof PlaygroundConfig>(key: K, step: string): HTMLInputElement {
  const i = el("input", { type: "number", step });
  i.addEventListener("change", () => update(editConfig(state, key, Number(i.value) as PlaygroundConfig[K])));
  return i;
}

const taskSel = select("task", [["hello", "hello → ohlol"], ["wordOrigin", "word origin (classify)"], ["text", "your text (character LM)"], ["sine", "sine-wave forecasting"]]);
const cellSel = select("cell", [["rnn-tanh", "RNN (tanh)"], ["rnn-relu", "RNN (relu)"], ["lstm", "LSTM"], ["gru", "GRU"]]);
const inputSel = select("input", [["onehot", "one-hot"], ["embedding", "Embedding"]]);
const embIn = numberInput("embeddingDim", "1");
const hiddenIn = numberInput("hiddenSize", "1");
const layersIn = numberInput("numLayers", "1");
const bidiIn = el("input", { type: "checkbox" });
bidiIn.addEventListener("change", () => update(editConfig(state, "bidirectional", bidiIn.checked)));
const optSel = select("optimizer", [["adam", "Adam"], ["adamw", "AdamW"], ["sgd", "SGD (momentum 0.9)"], ["rmsprop", "RMSprop"]]);
const lrIn = numberInput("lr", "any");
const seedIn = numberInput("seed", "1");
const seqIn = numberInput("seqLen", "1");
const batchIn = numberInput("batchSize", "1");
const textIn = el("textarea", { rows: 6, placeholder: "Paste text here, or drop a .txt file (at least 100 characters)." });
textIn.addEventListener("change", () => update(editConfig(state, "text", textIn.value)));
textIn.addEventListener("dragover", (e) => e.preventDefault());
textIn.addEventListener("drop", async (e) => {
  e.preventDefault();
  const f = e.dataTransfer?.files[0];
  if (f) {
    textIn.value = await f.text();
    update(editConfig(state, "text", textIn.value));
  }
});
const sampleBtn = el("button", { type: "button" }, "Use bundled text (King James Bible, public domain)");
sampleBtn.addEventListener("click", async () => {
  // Loaded on demand: the bundled corpus is large and only this task uses it.
  const rk = await import("rnnkit");
  textIn.value = rk.data.kjvText().slice(0, 60_000);
  update(editConfig(state, "text", textIn.value));
});
const textField = el("div", {}, field("Text", textIn, "text"), sampleBtn);

const trainBtn = el("button", { className: "primary" }, "Train");
const pauseBtn = el("button", {}, "Pause");
const stepBtn = el("button", {}, "Step");
const resetBtn = el("button", {}, "Reset");
const saveBtn = el("button", {}, "Download .safetensors");
const loadIn = el("input", { type: "file", accept: ".safetensors" });
const configErrors = el("ul", { className: "errors" });
configErrors.setAttribute("aria-live", "polite");

/** Sends `command` for a usable config, rebuilding the worker's model first when the config changed. */
function run(command: "train" | "step"): void {
  if (state.configErrors.length) return;
  if (needsRebuild(state)) send({ type: "configure", config: state.config });
  send({ type: command });
}
trainBtn.addEventListener("click", () => run("train"));
pauseBtn.addEventListener("click", () => send({ type: "pause" }));
stepBtn.addEventListener("click", () => run("step"));
resetBtn.addEventListener("click", () => {
  if (state.configErrors.length) return;
  send({ type: "configure", config: state.config });
});
saveBtn.addEventListener("click", () => send({ type: "save" }));
loadIn.addEventListener("change", async () => {
  const f = loadIn.files?.[0];
  if (!f) return;
  const bytes = new Uint8Array(await f.arrayBuffer());
  send({ type: "load", bytes, name: f.name }, [bytes.buffer]);
  loadIn.value = "";
});

controls.append(
  el("h2", {}, "Task"),
  field("Task", taskSel, "task"),
  textField,
  el("h2", {}, "Model"),
  field("Cell", cellSel, "cell"),
  field("Input", inputSel, "input"),
  field("Embedding size", embIn, "embeddingDim"),
  field("Hidden size", hiddenIn, "hiddenSize"),
  field("Layers", layersIn, "numLayers"),
  field("Bidirectional", bidiIn, "bidirectional"),
  el("h2", {}, "Training"),
  field("Optimizer", optSel, "optimizer"),
  field("Learning rate", lrIn, "lr"),
  field("Sequence length", seqIn, "seqLen"),
  field("Batch size", batchIn, "batchSize"),
  field("Seed", seedIn, "seed"),
  configErrors,
  el("div", { className: "buttons" }, trainBtn, pauseBtn, stepBtn, resetBtn),
  el("h2", {}, "Checkpoint"),
  el("div", { className: "buttons" }, saveBtn),
  field("Load .safetensors", loadIn, "load"),
);

// ---- results -----------------------------------------------------------------------------------
const status = el("p", { className: "status", id: "status" });
status.setAttribute("aria-live", "polite");
const errorBox = el("p", { className: "error", id: "error", role: "alert" });
const chartHost = el("div", { id: "chart" });
const headline = el("p", { className: "headline", id: "headline" });
const predHost = el("div", { id: "predictions" });
const hiddenHost = el("div", { className: "maps", id: "hidden" });
const gatesHost = el("div", { className: "maps", id: "gates" });
const weightsHost = el("div", { className: "maps", id: "weights" });
const codeTabs = el("div", { className: "buttons", role: "tablist" });
const codePre = el("pre", { id: "code", tabIndex: 0 });
let codeLang: "rnnkit" | "pytorch" = "rnnkit";
for (const lang of ["rnnkit", "pytorch"] as const) {
  const b = el("button", { role: "tab" }, lang === "rnnkit" ? "rnnkit (TypeScript)" : "PyTorch (Python)");
  b.addEventListener("click", () => {
    codeLang = lang;
    render();
  });
  codeTabs.append(b);
}
const copyBtn = el("button", {}, "Copy code");
copyBtn.addEventListener("click", () => void navigator.clipboard?.writeText(codePre.textContent ?? ""));

results.append(
  status,
  errorBox,
  el("h2", {}, "Loss"),
  chartHost,
  el("h2", {}, "Predictions"),
  headline,
  predHost,
  el("h2", {}, "Inside the model"),
  el("h3", {}, "Hidden states over time"),
  hiddenHost,
  el("h3", {}, "Gates"),
  gatesHost,
  el("h3", {}, "Weights"),
  weightsHost,
  el("h2", {}, "Code"),
  codeTabs,
  copyBtn,
  codePre,
);

const chart = new uPlot(
  {
    width: Math.min(720, results.clientWidth || 720),
    height: 240,
    scales: { x: { time: false } },
    axes: [{ label: "step" }, { label: "loss" }],
    series: [{ label: "step" }, { label: "train", stroke: "#d9480f", width: 2 }, { label: "validation", stroke: "#1c7ed6", width: 2, spanGaps: true }],
  },
  [[], [], []],
  chartHost,
);

function renderPredictions(p: Predictions | null): void {
  predHost.replaceChildren();
  if (!p) return;
  if (p.kind === "string") {
    const table = el("table", { className: "probs" });
    const head = el("tr", {}, el("th", {}, "step"), ...p.symbols.map((s) => el("th", {}, s)));
    table.append(head);
    p.probs.forEach((row, t) => {
      const best = row.indexOf(Math.max(...row));
      table.append(el("tr", {}, el("td", {}, `${t + 1} → ${p.target[t] ?? ""}`), ...row.map((v, k) => el("td", { className: k === best ? "best" : "" }, v.toFixed(2)))));
    });
    predHost.append(table);
  } else if (p.kind === "classes") {
    const table = el("table", { className: "probs" });
    table.append(el("tr", {}, el("th", {}, "word"), el("th", {}, "label"), el("th", {}, "top 3")));
    for (const r of p.rows) table.append(el("tr", {}, el("td", {}, r.text), el("td", {}, r.label), el("td", {}, r.top.map((t) => `${t.label} ${(t.p * 100).toFixed(0)}%`).join(", "))));
    predHost.append(table);
  } else if (p.kind === "sample") {
    predHost.append(el("pre", { className: "sample" }, p.prime + p.text));
  } else {
    const host = el("div");
    predHost.append(host);
    new uPlot(
      { width: 480, height: 160, scales: { x: { time: false } }, series: [{}, { label: "target", stroke: "#1c7ed6" }, { label: "predicted", stroke: "#d9480f" }] },
      [p.target.map((_, i) => i), p.target, p.predicted],
      host,
    );
  }
}

let lastInspection: UiState["inspection"] = null;
let lastPredictions: UiState["predictions"] = null;
function render(): void {
  const c = state.config;
  taskSel.value = c.task;
  cellSel.value = c.cell;
  inputSel.value = c.input;
  inputSel.disabled = c.task === "sine";
  embIn.value = String(c.embeddingDim);
  embIn.disabled = c.input !== "embedding" || c.task === "sine";
  hiddenIn.value = String(c.hiddenSize);
  layersIn.value = String(c.numLayers);
  bidiIn.checked = c.bidirectional;
  bidiIn.disabled = !allowsBidirectional(c.task);
  optSel.value = c.optimizer;
  lrIn.value = String(c.lr);
  seedIn.value = String(c.seed);
  seqIn.value = String(c.seqLen);
  batchIn.value = String(c.batchSize);
  textField.hidden = c.task !== "text";
  if (textIn.value !== c.text) textIn.value = c.text;
  configErrors.replaceChildren(...state.configErrors.map((e) => el("li", {}, e)));
  trainBtn.disabled = state.running || state.configErrors.length > 0;
  stepBtn.disabled = state.running || state.configErrors.length > 0;
  pauseBtn.disabled = !state.running;
  saveBtn.disabled = state.activeConfig === null;
  const last = state.history[state.history.length - 1];
  status.textContent = state.activeConfig
    ? `${state.taskName} · ${state.parameters} parameters · step ${last?.step ?? 0}` +
      (last ? ` · loss ${last.loss.toFixed(4)}` : "") +
      (state.running ? ` · ${state.stepsPerSec.toFixed(0)} steps/s · training…` : " · paused")
    : "Press Train to build the model and start training.";
  errorBox.textContent = state.error ?? "";
  errorBox.hidden = state.error === null;
  chart.setData(chartData(state.history));
  chartHost.dataset.points = String(state.history.length);
  headline.textContent = predictionHeadline(state.predictions);
  if (state.predictions !== lastPredictions) {
    lastPredictions = state.predictions;
    renderPredictions(state.predictions);
  }
  if (state.inspection !== lastInspection) {
    lastInspection = state.inspection;
    const ins = state.inspection;
    for (const [host, maps] of [[hiddenHost, ins?.hidden ?? []], [gatesHost, ins?.gates ?? []], [weightsHost, ins?.weights ?? []]] as const) {
      host.replaceChildren();
      for (const m of maps) {
        const box = el("figure", { className: "map" });
        host.append(box);
        renderHeatmap(box, m);
      }
      if (host === gatesHost && maps.length === 0) host.append(el("p", {}, "A plain RNN has no gates: its hidden state is tanh/relu(W_ih x + b_ih + W_hh h + b_hh)."));
    }
  }
  codePre.textContent = codeLang === "rnnkit" ? rnnkitCode(c) : pytorchCode(c);
}

function update(next: UiState): void {
  state = next;
  render();
}

worker.onmessage = (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  if (m.type === "checkpoint") {
    const url = URL.createObjectURL(new Blob([m.bytes as BlobPart], { type: "application/octet-stream" }));
    const a = el("a", { href: url, download: m.name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    return;
  }
  update(onWorkerMessage(state, m));
};
worker.onerror = (e) => update({ ...state, error: `Worker error: ${e.message}`, running: false });

render();
