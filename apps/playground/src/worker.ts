/// <reference lib="webworker" />
import { kjvText } from "@rnnkit/dataset-kjv";
import { wordOrigin } from "@rnnkit/dataset-word-origin";
import * as rk from "rnnkit";
import type { PlaygroundConfig } from "./config.js";
import type { FromWorker, ToWorker, VisibleViews } from "./protocol.js";
import { Trainer } from "./trainer.js";

// Training runs here so the page never freezes. Work is cut into short tasks (a training slice
// of ~30 ms or one step, a validation pass, a views snapshot), each queued behind whatever the
// page sent meanwhile, so Pause takes effect after at most the task running when it arrives.
// Validation and views are spaced out so they take at most about a fifth of the time.

const ctx = self as unknown as DedicatedWorkerGlobalScope;
const SLICE_MS = 30;
const BUNDLED_CHARS = 60_000;

let trainer: Trainer | null = null;
let running = false;
let visible: VisibleViews = { predictions: true, hidden: true, gates: true, weights: true };
const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

/** When validation and views last ran, and how long they took (their spacing grows with their cost). */
const pace = { lastVal: 0, valCost: 0, lastViews: 0, viewCost: 0, viewsDirty: true };
/** Recent (time, step) pairs: steps/s over the last seconds, everything included. */
let window: [number, number][] = [];
let lastSliceSteps = 0;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  ctx.postMessage(msg, transfer);
}
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const threads = () => (isolated ? rk.getNumThreads() : 1);

// ---- a queue of short tasks, run one per message event so page messages slip in between ----
const queue: (() => void)[] = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  const task = queue.shift();
  if (task) task();
};
function enqueue(task: () => void): void {
  queue.push(task);
  channel.port2.postMessage(0);
}

function setRunning(r: boolean): void {
  running = r;
  if (!r) queue.length = 0;
  post({ type: "status", running, step: trainer?.step ?? 0 });
}

function fail(e: unknown): void {
  setRunning(false);
  post({ type: "error", message: message(e) });
}

function announce(t: Trainer, note: string | null): void {
  window = [];
  pace.lastVal = 0;
  pace.viewsDirty = true;
  post({ type: "ready", config: t.config, parameters: t.model.numParameters(), taskName: t.task.name, step: t.step, history: t.history, message: note });
  sendViews();
}

/** The views the page shows, each guarded: a failing view is reported, training goes on. */
function sendViews(): void {
  if (!trainer) return;
  const t0 = performance.now();
  let predictions = null;
  let inspection = null;
  const errors: string[] = [];
  if (visible.predictions) {
    try {
      predictions = trainer.predictions();
    } catch (e) {
      errors.push(`Predictions failed: ${message(e)}`);
    }
  }
  if (visible.hidden || visible.gates || visible.weights) {
    try {
      inspection = trainer.inspect(visible);
    } catch (e) {
      errors.push(`The inside-the-model views failed: ${message(e)}`);
    }
  }
  post({ type: "views", predictions, inspection, viewError: errors.length ? errors.join(" ") : null, step: trainer.step });
  pace.lastViews = performance.now();
  pace.viewCost = pace.lastViews - t0;
  pace.viewsDirty = false;
}

function viewsEveryMs(): number {
  return Math.max(250, 4 * pace.viewCost);
}

function report(loss: number, valLoss: number | null): void {
  const t = trainer!;
  const now = performance.now();
  window.push([now, t.step]);
  while (window.length > 2 && now - window[0]![0] > 3000) window.shift();
  const [t0, s0] = window[0]!;
  // Over the window: wall time between reports, so validation, views and messages count too.
  const stepsPerSec = window.length > 1 ? ((t.step - s0) * 1000) / Math.max(now - t0, 1e-3) : 0;
  const point = { step: t.step, loss, valLoss };
  t.history.push(point);
  post({ type: "progress", point, stepsPerSec, threads: threads(), sliceSteps: lastSliceSteps, viewsEveryMs: viewsEveryMs() });
}

/** Trains for ~SLICE_MS (at least one step), then queues validation, views and the next slice as they fall due. */
function slice(maxSteps: number): void {
  const t = trainer;
  if (!t) return;
  const t0 = performance.now();
  let n = 0;
  let sum = 0;
  try {
    do {
      sum += t.trainStep();
      n++;
    } while (n < maxSteps && performance.now() - t0 < SLICE_MS);
  } catch (e) {
    fail(e);
    return;
  }
  lastSliceSteps = n;
  const now = performance.now();
  const valDue = maxSteps !== Infinity || now - pace.lastVal >= Math.max(500, 4 * pace.valCost);
  const finish = () => {
    let valLoss: number | null = null;
    if (valDue) {
      const v0 = performance.now();
      try {
        valLoss = t.validationLoss();
      } catch (e) {
        fail(e);
        return;
      }
      pace.lastVal = performance.now();
      pace.valCost = pace.lastVal - v0;
    }
    report(sum / n, valLoss);
  };
  if (valDue && running) enqueue(finish);
  else finish();
  if (!running) {
    sendViews();
    return;
  }
  if (performance.now() - pace.lastViews >= viewsEveryMs()) enqueue(sendViews);
  enqueue(loop);
}

function loop(): void {
  if (running && trainer) slice(Infinity);
}

function build(config: PlaygroundConfig): void {
  let next: Trainer;
  try {
    next = new Trainer(config);
  } catch (e) {
    post({ type: "rejected", message: `The new settings were not applied: ${message(e)}` });
    return;
  }
  setRunning(false);
  trainer = next;
  announce(next, null);
}

function bundledText(): string {
  return kjvText().slice(0, BUNDLED_CHARS);
}

/** The bundled word lists as "word,label" lines, for the generated word-origin code. */
function wordsCsv(): string {
  const all = wordOrigin({ split: "all" });
  return all.words.map((w, i) => `${w},${all.labelNames[all.labels[i]!]}`).join("\n") + "\n";
}

ctx.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case "configure":
      build(msg.config);
      break;
    case "train":
      if (!trainer || running) break;
      window = [];
      setRunning(true);
      enqueue(loop);
      break;
    case "pause":
      setRunning(false);
      if (trainer) sendViews();
      break;
    case "step":
      if (!trainer) break;
      setRunning(false);
      slice(1);
      break;
    case "setLr":
      if (!trainer) break;
      try {
        trainer.setLearningRate(msg.lr);
        post({ type: "lr", lr: trainer.learningRate, step: trainer.step });
      } catch (e) {
        post({ type: "rejected", message: message(e) });
      }
      break;
    case "setThreads":
      rk.setNumThreads(msg.threads);
      window = [];
      post({ type: "threads", threads: threads(), isolated });
      break;
    case "views":
      visible = msg.visible;
      pace.viewsDirty = true;
      if (trainer && !running) sendViews();
      break;
    case "save": {
      if (!trainer) break;
      const bytes = trainer.saveCheckpoint();
      post({ type: "file", bytes, name: `rnnkit-${trainer.config.task}-${trainer.config.cell}-step${trainer.step}.safetensors`, mime: "application/octet-stream" }, [bytes.buffer]);
      break;
    }
    case "load": {
      let loaded;
      try {
        loaded = Trainer.fromCheckpoint(msg.bytes, msg.onScreen, bundledText);
      } catch (e) {
        post({ type: "rejected", message: `${msg.name} was not loaded: ${message(e)}` });
        break;
      }
      setRunning(false);
      trainer = loaded.trainer;
      announce(loaded.trainer, loaded.message);
      break;
    }
    case "bundledText":
      post({ type: "bundledText", text: bundledText() });
      break;
    case "exportData": {
      if (msg.task !== "wordOrigin") break;
      const bytes = new TextEncoder().encode(wordsCsv());
      post({ type: "file", bytes, name: "words.csv", mime: "text/csv" }, [bytes.buffer]);
      break;
    }
  }
};

post({ type: "threads", threads: threads(), isolated });
