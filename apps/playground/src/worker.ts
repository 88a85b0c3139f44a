/// <reference lib="webworker" />
import { decodeCheckpoint } from "./checkpoint.js";
import { defaultConfig, type PlaygroundConfig } from "./config.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { Trainer } from "./trainer.js";

// Training runs here so the page never freezes: steps are taken in slices of ~40 ms, and
// messages (Pause, Step, Reset) are handled between slices.

const ctx = self as unknown as DedicatedWorkerGlobalScope;
let trainer: Trainer | null = null;
let config: PlaygroundConfig = defaultConfig("hello");
let running = false;
let lastViews = 0;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  ctx.postMessage(msg, transfer);
}

function fail(e: unknown): void {
  running = false;
  post({ type: "status", running });
  post({ type: "error", message: e instanceof Error ? e.message : String(e) });
}

function build(c: PlaygroundConfig): void {
  config = c;
  trainer = new Trainer(c);
  post({ type: "ready", config: c, parameters: trainer.model.numParameters(), taskName: trainer.task.name, history: [] });
  sendViews();
}

function sendViews(): void {
  if (!trainer) return;
  post({ type: "predictions", predictions: trainer.predictions() });
  post({ type: "inspection", inspection: trainer.inspect() });
  lastViews = performance.now();
}

function slice(maxSteps: number): void {
  if (!trainer) return;
  const t0 = performance.now();
  let n = 0;
  let sum = 0;
  while (n < maxSteps && performance.now() - t0 < 40) {
    sum += trainer.trainStep();
    n++;
  }
  const dt = (performance.now() - t0) / 1000;
  const point = { step: trainer.step, loss: sum / n, valLoss: trainer.validationLoss() };
  trainer.history.push(point);
  post({ type: "progress", point, stepsPerSec: n / Math.max(dt, 1e-6) });
  if (!running || performance.now() - lastViews > 250) sendViews();
}

function loop(): void {
  if (!running) return;
  try {
    slice(Infinity);
  } catch (e) {
    fail(e);
    return;
  }
  setTimeout(loop, 0);
}

ctx.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case "configure":
        running = false;
        post({ type: "status", running });
        build(msg.config);
        break;
      case "reset":
        running = false;
        post({ type: "status", running });
        build(config);
        break;
      case "train":
        if (!trainer) build(config);
        if (!running) {
          running = true;
          post({ type: "status", running });
          loop();
        }
        break;
      case "pause":
        running = false;
        post({ type: "status", running });
        sendViews();
        break;
      case "step":
        running = false;
        post({ type: "status", running });
        slice(1);
        break;
      case "save": {
        if (!trainer) return;
        const bytes = trainer.saveCheckpoint();
        post({ type: "checkpoint", bytes, name: `rnnkit-${config.task}-${config.cell}-step${trainer.step}.safetensors` }, [bytes.buffer]);
        break;
      }
      case "load": {
        running = false;
        post({ type: "status", running });
        // A playground checkpoint carries its configuration: rebuild for it, then load the weights.
        const { meta } = decodeCheckpoint(msg.bytes, { config, symbols: [], labelNames: [] });
        // A text model needs its training text in the text box (the vocabulary must match).
        const next = new Trainer({ ...meta.config, text: config.text });
        next.loadWeights(msg.bytes);
        trainer = next;
        config = next.config;
        post({ type: "ready", config, parameters: next.model.numParameters(), taskName: next.task.name, history: [] });
        sendViews();
        break;
      }
    }
  } catch (e) {
    fail(e);
  }
};
