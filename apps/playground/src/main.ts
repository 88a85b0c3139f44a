import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { rnnkitCode, pytorchCode } from "./codegen.js";
import { FIELD_LABELS, usedFields, validateConfig, type PlaygroundConfig } from "./config.js";
import { downloadBytes, el, readTextFile } from "./dom.js";
import { HeatmapGroup } from "./heatmap.js";
import { torchExportButton } from "./torchExportButton.js";
import type { FromWorker, ToWorker, VisibleViews } from "./protocol.js";
import type { Predictions } from "./tasks/task.js";
import { chartData, editConfig, initialState, LIVE_FIELDS, needsBuild, onWorkerMessage, pendingFields, predictionHeadline, type UiState } from "./uiState.js";

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
let state: UiState = initialState();
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);

// ---- controls ----------------------------------------------------------------------------------
const controls = document.getElementById("controls")!;
const results = document.getElementById("results")!;
const fieldRows = new Map<keyof PlaygroundConfig, { row: HTMLElement; input: HTMLElement; badge: HTMLElement }>();

function field(key: keyof PlaygroundConfig, input: HTMLElement): HTMLElement {
  input.id = key;
  const badge = el("span", { className: "badge", id: `${key}-pending`, hidden: true }, LIVE_FIELDS.has(key) ? "" : "pending: press Reset to apply");
  const row = el("div", { className: "field" }, el("label", { htmlFor: key }, FIELD_LABELS[key]), input, badge);
  fieldRows.set(key, { row, input, badge });
  return row;
}
function select<K extends keyof PlaygroundConfig>(key: K, options: [string, string][]): HTMLSelectElement {
  const s = el("select");
  for (const [v, t] of options) s.append(el("option", { value: v }, t));
  s.addEventListener("change", () => edit(key, s.value as PlaygroundConfig[K]));
  return s;
}
function numberInput<K extends keyof PlaygroundConfig>(key: K, step: string): HTMLInputElement {
  const i = el("input", { type: "number", step, inputMode: "decimal" });
  // Every keystroke counts (a live learning rate applies as typed); an empty box is "nothing".
  i.addEventListener("input", () => edit(key, (i.value.trim() === "" ? Number.NaN : Number(i.value)) as PlaygroundConfig[K]));
  return i;
}

/** A user edit: recorded as pending for the running model, except live settings (the learning rate), applied at once. */
function edit<K extends keyof PlaygroundConfig>(key: K, value: PlaygroundConfig[K]): void {
  update({ ...editConfig(state, key, value), notice: null });
  if (key === "lr" && state.activeConfig && !state.configErrors.some((p) => p.field === "lr")) send({ type: "setLr", lr: state.config.lr });
}

const taskSel = select("task", [["hello", "hello → ohlol"], ["wordOrigin", "word origin (classify)"], ["text", "your text (character LM)"], ["sine", "sine-wave forecasting"]]);
const cellSel = select("cell", [["rnn-tanh", "RNN (tanh)"], ["rnn-relu", "RNN (relu)"], ["lstm", "LSTM"], ["gru", "GRU"]]);
const inputSel = select("input", [["onehot", "one-hot"], ["embedding", "Embedding"]]);
const embIn = numberInput("embeddingDim", "1");
const hiddenIn = numberInput("hiddenSize", "1");
const layersIn = numberInput("numLayers", "1");
const bidiIn = el("input", { type: "checkbox" });
bidiIn.addEventListener("change", () => edit("bidirectional", bidiIn.checked));
const optSel = select("optimizer", [["adam", "Adam"], ["adamw", "AdamW"], ["sgd", "SGD (momentum 0.9)"], ["rmsprop", "RMSprop"]]);
const lrIn = numberInput("lr", "any");
const seedIn = numberInput("seed", "1");
const seqIn = numberInput("seqLen", "1");
const batchIn = numberInput("batchSize", "1");
const textIn = el("textarea", { rows: 6, placeholder: "Paste text here, or drop a .txt file (at least 100 characters)." });
textIn.addEventListener("change", () => edit("text", textIn.value));
textIn.addEventListener("dragover", (e) => e.preventDefault());
textIn.addEventListener("drop", async (e) => {
  e.preventDefault();
  const f = e.dataTransfer?.files[0];
  if (!f) return;
  try {
    textIn.value = await readTextFile(f);
    edit("text", textIn.value);
  } catch (err) {
    update({ ...state, error: (err as Error).message });
  }
});
const sampleBtn = el("button", { type: "button" }, "Use bundled text (King James Bible, public domain)");
// The worker already holds the library and its corpus: ask it rather than load the library here.
sampleBtn.addEventListener("click", () => send({ type: "bundledText" }));
const threadSel = el("select", { id: "threads" });
const maxThreads = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
for (let n = 1; n <= maxThreads; n++) threadSel.append(el("option", { value: String(n) }, `${n}`));
threadSel.addEventListener("change", () => send({ type: "setThreads", threads: Number(threadSel.value) }));
const threadNote = el("p", { className: "hint", id: "threads-note" });

const trainBtn = el("button", { className: "primary", type: "button" }, "Train");
const pauseBtn = el("button", { type: "button" }, "Pause");
const stepBtn = el("button", { type: "button" }, "Step");
const resetBtn = el("button", { type: "button" }, "Reset");
const saveBtn = el("button", { type: "button" }, "Download .safetensors");
const loadIn = el("input", { type: "file", accept: ".safetensors" });
const configErrors = el("ul", { className: "errors", id: "config-errors" });
configErrors.setAttribute("aria-live", "polite");
const pendingNote = el("p", { className: "pending-note", id: "pending-note", hidden: true });
pendingNote.setAttribute("aria-live", "polite");
const actionNote = el("p", { className: "hint", id: "action-note" });
actionNote.setAttribute("aria-live", "polite");

/** Why a build cannot happen now, or null. */
function buildBlocked(): string | null {
  if (!state.configErrors.length) return null;
  return "The settings have problems (marked above); fix them first.";
}

/** Train or Step: builds a model first when there is none; edits to a running model wait for Reset. */
function run(command: "train" | "step"): void {
  if (needsBuild(state)) {
    const blocked = buildBlocked();
    if (blocked) return void update({ ...state, notice: null, error: blocked });
    send({ type: "configure", config: state.config });
  }
  send({ type: command });
}
trainBtn.addEventListener("click", () => run("train"));
pauseBtn.addEventListener("click", () => send({ type: "pause" }));
stepBtn.addEventListener("click", () => run("step"));
resetBtn.addEventListener("click", () => {
  const blocked = buildBlocked();
  if (blocked) return void update({ ...state, notice: null, error: `Reset does nothing yet: ${blocked}` });
  send({ type: "configure", config: state.config });
});
saveBtn.addEventListener("click", () => send({ type: "save" }));
loadIn.addEventListener("change", async () => {
  const f = loadIn.files?.[0];
  if (!f) return;
  const bytes = new Uint8Array(await f.arrayBuffer());
  send({ type: "load", bytes, name: f.name, onScreen: state.config }, [bytes.buffer]);
  loadIn.value = "";
});

const textField = el("div", {}, field("text", textIn), sampleBtn);
controls.append(
  el("h2", {}, "Task"),
  field("task", taskSel),
  textField,
  el("h2", {}, "Model"),
  field("cell", cellSel),
  field("input", inputSel),
  field("embeddingDim", embIn),
  field("hiddenSize", hiddenIn),
  field("numLayers", layersIn),
  field("bidirectional", bidiIn),
  el("h2", {}, "Training"),
  field("optimizer", optSel),
  field("lr", lrIn),
  field("seqLen", seqIn),
  field("batchSize", batchIn),
  field("seed", seedIn),
  el("div", { className: "field" }, el("label", { htmlFor: "threads" }, "Threads"), threadSel),
  threadNote,
  configErrors,
  pendingNote,
  el("div", { className: "buttons" }, trainBtn, pauseBtn, stepBtn, resetBtn),
  actionNote,
  el("h2", {}, "Checkpoint"),
  el("div", { className: "buttons" }, saveBtn),
  el("div", { className: "field" }, el("label", { htmlFor: "load" }, "Load .safetensors"), Object.assign(loadIn, { id: "load" })),
);

// ---- results -----------------------------------------------------------------------------------
const status = el("p", { className: "status", id: "status" });
status.setAttribute("aria-live", "polite");
const errorBox = el("p", { className: "error", id: "error", role: "alert" });
const noticeBox = el("p", { className: "notice", id: "notice" });
noticeBox.setAttribute("aria-live", "polite");
const chartHost = el("div", { id: "chart", className: "chart" });
const headline = el("p", { className: "headline", id: "headline" });
const predHost = el("div", { id: "predictions", className: "scroll-x" });
const viewsNote = el("p", { className: "hint", id: "views-note" });
const viewError = el("p", { className: "error", id: "view-error" });
const hiddenHost = el("div", { className: "maps", id: "hidden" });
const gatesHost = el("div", { className: "maps", id: "gates" });
const gatesNote = el("p", { className: "hint" }, "A plain RNN has no gates: its hidden state is tanh/relu(W_ih x + b_ih + W_hh h + b_hh).");
const weightsHost = el("div", { className: "maps", id: "weights" });
const groups = { hidden: new HeatmapGroup(hiddenHost), gates: new HeatmapGroup(gatesHost), weights: new HeatmapGroup(weightsHost) };

const codeTabs = el("div", { className: "buttons", role: "tablist" });
codeTabs.setAttribute("aria-label", "Code language");
const codePre = el("pre", { id: "code", tabIndex: 0 });
codePre.setAttribute("role", "tabpanel");
const codeNote = el("p", { className: "hint", id: "code-note" });
let codeLang: "rnnkit" | "pytorch" = "rnnkit";
const tabButtons = (["rnnkit", "pytorch"] as const).map((lang) => {
  const b = el("button", { type: "button", id: `tab-${lang}` }, lang === "rnnkit" ? "rnnkit (TypeScript)" : "PyTorch (Python)");
  b.setAttribute("role", "tab");
  b.setAttribute("aria-controls", "code");
  b.addEventListener("click", () => {
    codeLang = lang;
    renderNow();
  });
  codeTabs.append(b);
  return [lang, b] as const;
});
const copyBtn = el("button", { type: "button" }, "Copy code");
copyBtn.addEventListener("click", () => void navigator.clipboard?.writeText(codePre.textContent ?? ""));
const dataBtn = el("button", { type: "button", id: "export-data" }, "Download data file");
dataBtn.addEventListener("click", () => {
  const c = codeConfig();
  if (c.task === "text") downloadBytes(c.text, "input.txt", "text/plain");
  else send({ type: "exportData", task: c.task });
});
/** The row of code actions; other modules may append their own buttons here. */
export const codeActions = el("div", { className: "buttons", id: "code-actions" }, copyBtn, dataBtn);
const torchZip = torchExportButton({
  requestCheckpoint: () => send({ type: "save" }),
  activeConfig: () => state.activeConfig,
  onError: (message) => update({ ...state, error: message }),
});
codeActions.append(torchZip.button);

const section = (id: string, ...kids: (Node | string)[]) => el("section", { className: "view", id: `${id}-view` }, ...kids);
const predView = section("predictions", el("h2", {}, "Predictions"), headline, predHost);
const hiddenView = section("hidden", el("h3", {}, "Hidden states over time"), hiddenHost);
const gatesView = section("gates", el("h3", {}, "Gates"), gatesNote, gatesHost);
const weightsView = section("weights", el("h3", {}, "Weights"), weightsHost);
results.append(
  status,
  errorBox,
  noticeBox,
  el("h2", {}, "Loss"),
  chartHost,
  predView,
  el("h2", {}, "Inside the model"),
  viewsNote,
  viewError,
  hiddenView,
  gatesView,
  weightsView,
  el("h2", {}, "Code"),
  codeNote,
  codeTabs,
  codeActions,
  codePre,
);

const chartWidth = () => Math.max(240, Math.min(720, chartHost.clientWidth || 720));
const chart = new uPlot(
  {
    width: chartWidth(),
    height: 240,
    scales: { x: { time: false } },
    axes: [{ label: "step" }, { label: "loss" }],
    series: [{ label: "step" }, { label: "train", stroke: "#c2410c", width: 2 }, { label: "validation", stroke: "#1864ab", width: 2, spanGaps: true }],
  },
  [[], [], []],
  chartHost,
);
let seriesChart: uPlot | null = null;
new ResizeObserver(() => {
  chart.setSize({ width: chartWidth(), height: 240 });
  seriesChart?.setSize({ width: Math.min(480, Math.max(240, predHost.clientWidth || 480)), height: 160 });
}).observe(results);

function renderPredictions(p: Predictions | null): void {
  if (!p) return predHost.replaceChildren();
  if (p.kind === "series") {
    const data: uPlot.AlignedData = [p.target.map((_, i) => i), p.target, p.predicted];
    if (seriesChart && predHost.contains(seriesChart.root)) return seriesChart.setData(data);
    const host = el("div");
    predHost.replaceChildren(host);
    seriesChart = new uPlot(
      { width: Math.min(480, Math.max(240, predHost.clientWidth || 480)), height: 160, scales: { x: { time: false } }, series: [{}, { label: "target", stroke: "#1864ab" }, { label: "predicted", stroke: "#c2410c" }] },
      data,
      host,
    );
    return;
  }
  seriesChart = null;
  if (p.kind === "string") {
    const table = el("table", { className: "probs" });
    table.append(el("tr", {}, el("th", {}, "step"), ...p.symbols.map((s) => el("th", {}, s))));
    p.probs.forEach((row, t) => {
      const best = row.indexOf(Math.max(...row));
      table.append(el("tr", {}, el("td", {}, `${t + 1} → ${p.target[t] ?? ""}`), ...row.map((v, k) => el("td", { className: k === best ? "best" : "" }, v.toFixed(2)))));
    });
    predHost.replaceChildren(table);
  } else if (p.kind === "classes") {
    const table = el("table", { className: "probs" });
    table.append(el("tr", {}, el("th", {}, "word"), el("th", {}, "label"), el("th", {}, "top 3")));
    for (const r of p.rows) table.append(el("tr", {}, el("td", {}, r.text), el("td", {}, r.label), el("td", {}, r.top.map((t) => `${t.label} ${(t.p * 100).toFixed(0)}%`).join(", "))));
    predHost.replaceChildren(table);
  } else {
    predHost.replaceChildren(el("pre", { className: "sample" }, p.prime + p.text));
  }
}

// ---- which views are on screen ------------------------------------------------------------------
const visible: VisibleViews = { predictions: true, hidden: true, gates: true, weights: true };
const viewOf = new Map<Element, keyof VisibleViews>([[predView, "predictions"], [hiddenView, "hidden"], [gatesView, "gates"], [weightsView, "weights"]]);
const onScreen = new Map<keyof VisibleViews, boolean>();
function sendVisible(): void {
  const shown = document.visibilityState === "visible";
  const next: VisibleViews = {
    predictions: shown && (onScreen.get("predictions") ?? true),
    hidden: shown && (onScreen.get("hidden") ?? true),
    gates: shown && (onScreen.get("gates") ?? true),
    weights: shown && (onScreen.get("weights") ?? true),
  };
  if ((Object.keys(next) as (keyof VisibleViews)[]).some((k) => next[k] !== visible[k])) {
    Object.assign(visible, next);
    send({ type: "views", visible: next });
  }
}
const observer = new IntersectionObserver((entries) => {
  for (const e of entries) onScreen.set(viewOf.get(e.target)!, e.isIntersecting);
  sendVisible();
}, { rootMargin: "200px" });
for (const v of viewOf.keys()) observer.observe(v);
document.addEventListener("visibilitychange", sendVisible);

// ---- rendering: controls at once, views at most once per animation frame -----------------------
function codeConfig(): PlaygroundConfig {
  return state.activeConfig ?? state.config;
}

function statusText(): string {
  if (!state.activeConfig) return "Press Train to build the model and start training.";
  const last = state.history[state.history.length - 1];
  const parts = [`${state.taskName} · ${state.parameters.toLocaleString("en-US")} parameters · step ${state.step}`];
  if (last) parts.push(`loss ${last.loss.toFixed(4)}`);
  if (state.running) {
    const others = Object.entries(state.stepsPerSecByThreads).filter(([n]) => Number(n) !== state.threads);
    const other = others.map(([n, v]) => `${n} thread${n === "1" ? "" : "s"}: ${v.toFixed(1)}`).join(", ");
    parts.push(`${state.stepsPerSec.toFixed(1)} steps/s on ${state.threads} thread${state.threads === 1 ? "" : "s"}${other ? ` (${other})` : ""}`);
    parts.push("training…");
  } else {
    parts.push("paused");
  }
  return parts.join(" · ");
}

/**
 * Sets the buttons' disabled states; when the focused one becomes disabled, focus moves to its
 * enabled counterpart (Train ↔ Pause) instead of falling to the page.
 */
function setButtons(states: [HTMLButtonElement, boolean, HTMLElement[]][]): void {
  const focused = document.activeElement;
  for (const [b, disabled] of states) b.disabled = disabled;
  const lost = states.find(([b, disabled]) => disabled && b === focused);
  if (lost) lost[2].find((t) => !(t as HTMLButtonElement).disabled)?.focus();
}

/** Sets an input's value unless the user is typing in it. */
function setValue(input: HTMLInputElement, v: number): void {
  if (document.activeElement !== input) input.value = Number.isNaN(v) ? "" : String(v);
}

function renderControls(): void {
  const c = state.config;
  taskSel.value = c.task;
  cellSel.value = c.cell;
  inputSel.value = c.input;
  setValue(embIn, c.embeddingDim);
  setValue(hiddenIn, c.hiddenSize);
  setValue(layersIn, c.numLayers);
  bidiIn.checked = c.bidirectional;
  optSel.value = c.optimizer;
  setValue(lrIn, c.lr);
  setValue(seedIn, c.seed);
  setValue(seqIn, c.seqLen);
  setValue(batchIn, c.batchSize);
  if (textIn.value !== c.text) textIn.value = c.text;
  const used = usedFields(c.task, c.input);
  const pending = new Set(pendingFields(state));
  const bad = new Map(state.configErrors.filter((p) => p.field).map((p) => [p.field!, p.message]));
  for (const [key, { row, input, badge }] of fieldRows) {
    row.hidden = !used.has(key);
    input.setAttribute("aria-invalid", String(bad.has(key)));
    row.classList.toggle("pending", pending.has(key));
    badge.hidden = !pending.has(key);
    const described = [pending.has(key) ? `${key}-pending` : "", bad.has(key) ? "config-errors" : ""].filter(Boolean).join(" ");
    if (described) input.setAttribute("aria-describedby", described);
    else input.removeAttribute("aria-describedby");
  }
  textField.hidden = c.task !== "text";
  configErrors.replaceChildren(...state.configErrors.map((e) => el("li", {}, e.message)));
  pendingNote.hidden = pending.size === 0;
  pendingNote.textContent = pending.size
    ? `Changed: ${[...pending].map((k) => FIELD_LABELS[k]).join(", ")}. The running model keeps its settings (and the code below shows them) until you press Reset, which builds a new model.`
    : "";
  const noModelBlocked = needsBuild(state) && state.configErrors.length > 0;
  setButtons([
    [trainBtn, state.running || noModelBlocked, [pauseBtn, resetBtn]],
    [stepBtn, state.running || noModelBlocked, [pauseBtn, resetBtn]],
    [pauseBtn, !state.running, [trainBtn, resetBtn]],
  ]);
  saveBtn.disabled = state.activeConfig === null;
  torchZip.refresh();
  actionNote.textContent = state.configErrors.length ? "Reset and building a new model wait until the settings above are fixed." : "";
  threadSel.value = String(Math.min(state.threads, maxThreads));
  threadSel.disabled = !state.isolated;
  threadNote.textContent = state.isolated
    ? "Large matrix products are split over this many threads (change it while training to compare steps/s)."
    : "One thread: this page is not cross-origin isolated (it needs the COOP/COEP headers; see the README).";
  status.textContent = statusText();
  status.dataset.step = String(state.step);
  status.dataset.running = String(state.running);
  status.dataset.sliceSteps = String(state.sliceSteps);
  errorBox.textContent = state.error ?? "";
  errorBox.hidden = state.error === null;
  noticeBox.textContent = state.notice ?? "";
  noticeBox.hidden = state.notice === null;
  const cc = codeConfig();
  codeNote.textContent = state.activeConfig
    ? "The running model's program (pending changes are not in it until Reset). Both programs are seeded and reproducible."
    : "The program for the settings above. Both programs are seeded and reproducible.";
  for (const [lang, b] of tabButtons) b.setAttribute("aria-selected", String(lang === codeLang));
  codePre.setAttribute("aria-labelledby", `tab-${codeLang}`);
  const code = codeLang === "rnnkit" ? rnnkitCode(cc) : pytorchCode(cc);
  if (codePre.textContent !== code) codePre.textContent = code;
  dataBtn.hidden = cc.task !== "text" && cc.task !== "wordOrigin";
  dataBtn.textContent = cc.task === "text" ? "Download input.txt (the code's data)" : "Download words.csv (the code's data)";
}

let drawnHistory: UiState["history"] | null = null;
let drawnPredictions: Predictions | null = null;
let drawnInspection: UiState["inspection"] = null;
let frameRequested = false;
function renderViews(): void {
  frameRequested = false;
  if (state.history !== drawnHistory) {
    drawnHistory = state.history;
    chart.setData(chartData(state.history));
    chartHost.dataset.points = String(state.history.length);
  }
  headline.textContent = predictionHeadline(state.predictions);
  if (state.predictions !== drawnPredictions) {
    drawnPredictions = state.predictions;
    renderPredictions(state.predictions);
  }
  if (state.inspection !== drawnInspection) {
    drawnInspection = state.inspection;
    const ins = state.inspection;
    if (ins) {
      if (visible.hidden) groups.hidden.update(ins.hidden);
      if (visible.gates) groups.gates.update(ins.gates);
      if (visible.weights) groups.weights.update(ins.weights);
    } else {
      for (const g of Object.values(groups)) g.update([]);
    }
    gatesNote.hidden = !(state.activeConfig?.cell ?? state.config.cell).startsWith("rnn");
  }
  viewError.textContent = state.viewError ?? "";
  viewError.hidden = state.viewError === null;
  viewsNote.textContent = state.activeConfig
    ? `Views show step ${state.viewStep}` + (state.running && state.viewsEveryMs > 1000 ? `; while training they refresh every ${(state.viewsEveryMs / 1000).toFixed(1)} s so this large model trains at full speed.` : ".")
    : "";
}

function renderNow(): void {
  renderControls();
  requestFrame();
}
function requestFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(renderViews);
}

function update(next: UiState): void {
  state = next;
  renderNow();
}

worker.onmessage = (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  if (m.type === "file" && torchZip.takeFile(m)) return;
  if (m.type === "file") return downloadBytes(m.bytes, m.name, m.mime);
  if (m.type === "bundledText") return edit("text", m.text);
  const next = onWorkerMessage(state, m);
  state = next;
  // Progress and views only change what is drawn per frame; the status line is cheap text.
  if (m.type === "progress" || m.type === "views") {
    status.textContent = statusText();
    status.dataset.step = String(state.step);
    status.dataset.sliceSteps = String(state.sliceSteps);
    requestFrame();
  } else {
    renderNow();
  }
};
worker.onerror = (e) => update({ ...state, error: `Worker error: ${e.message}`, running: false });

state = { ...state, configErrors: validateConfig(state.config) };
renderNow();
