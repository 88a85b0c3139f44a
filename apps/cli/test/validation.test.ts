import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kjvText } from "@rnnkit/dataset-kjv";
import * as rk from "rnnkit";
import { beforeAll, describe, expect, it } from "vitest";
import { joinFile, metadataOf, pokeFloat, splitFile, type SplitFile } from "./checkpointEdit.js";
import { BIN, CLI_DIR, ensureBuilt, expectOneLineFailure, runInProcess, tempDir } from "./helpers.js";

const dir = tempDir();
const data = join(dir, "small.txt");
const csv = join(dir, "words.csv");
const TORCH = join(CLI_DIR, "test", "fixtures", "torch_charlm_gru.safetensors");
let trained = "";
let classifier = "";
let step = 0;
let n = 0;

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(data, kjvText().slice(0, 1200));
  writeFileSync(csv, ["aeiou,v", "eia,v", "oua,v", "iea,v", "bcd,c", "rst,c", "pqr,c", "xyz,c", "klm,c", "uoe,v"].join("\n"));
  trained = join(dir, "trained.safetensors");
  const t = await runInProcess(["train", "--data", data, "--model", "lstm", "--hidden", "6", "--embedding", "3", "--seq-len", "8", "--batch-size", "4", "--steps", "3", "--sample-length", "0", "--out", trained]);
  expect(t.stderr).toBe("");
  step = (JSON.parse(rk.io.loadSafetensors(new Uint8Array(readFileSync(trained))).metadata["train.progress"]!) as { globalStep: number }).globalStep;
  classifier = join(dir, "classifier.safetensors");
  const c = await runInProcess(["classify", "train", "--data", csv, "--hidden", "5", "--embedding", "3", "--epochs", "1", "--val-split", "0.3", "--out", classifier]);
  expect(c.stderr).toBe("");
}, 120_000);

/** A copy of `file` with `edit` applied, under a fresh name. */
function edited(file: string, edit: (f: SplitFile) => void): string {
  const f = splitFile(new Uint8Array(readFileSync(file)));
  edit(f);
  const out = join(dir, `edited-${n++}.safetensors`);
  writeFileSync(out, joinFile(f));
  return out;
}

/** Sets metadata `key` to `value` (a string as is, anything else JSON-encoded). */
const setMeta = (key: string, value: unknown) => (f: SplitFile): void => {
  metadataOf(f)[key] = typeof value === "string" ? value : JSON.stringify(value);
};
/** Changes one field of a JSON metadata value. */
const setField = (key: string, field: string, value: unknown) => (f: SplitFile): void => {
  const meta = metadataOf(f);
  const o = JSON.parse(meta[key]!) as Record<string, unknown>;
  if (value === undefined) delete o[field];
  else o[field] = value;
  meta[key] = JSON.stringify(o);
};

describe("checkpoint metadata is checked field by field, naming the field", () => {
  const CHARLM: [string, (f: SplitFile) => void, RegExp | string][] = [
    ["config null", setMeta("config", null), "metadata config must be an object, got null"],
    ["config not JSON", setMeta("config", "{model: lstm"), 'metadata "config" is not valid JSON'],
    ["dropout 5", setField("config", "dropout", 5), "metadata config.dropout must be a finite number in [0, 1), got 5"],
    ["hidden 1e9", setField("config", "hidden", 1e9), "metadata config.hidden must be an integer in [1, 16777216], got 1000000000"],
    ["hidden 2.5", setField("config", "hidden", 2.5), "config.hidden must be an integer"],
    ["hidden missing", setField("config", "hidden", undefined), "metadata config.hidden is missing"],
    ["model cnn", setField("config", "model", "cnn"), 'config.model must be one of rnn, lstm, gru, got "cnn"'],
    ["vocabSize off by one", setField("config", "vocabSize", 30), "the vocabulary has 31 characters but config.vocabSize is 30"],
    ["vocab not JSON", setMeta("vocab", "abc"), 'metadata "vocab" is not valid JSON'],
    ["vocab duplicate", (f) => setMeta("vocab", ["\n", " ", " ", ...(JSON.parse(metadataOf(f)["vocab"]!) as string[]).slice(3)])(f), 'metadata vocab[2] must be a character not listed before (duplicate), got " "'],
    ["vocab multi-character", (f) => setMeta("vocab", ["\n", " ab", ...(JSON.parse(metadataOf(f)["vocab"]!) as string[]).slice(2)])(f), 'metadata vocab[1] must be a single character, got " ab"'],
    ["vocab out of order", (f) => setMeta("vocab", [...(JSON.parse(metadataOf(f)["vocab"]!) as string[])].reverse())(f), /metadata vocab\[1\] must be after "w" in code-point order/],
    ["vocab of numbers", setMeta("vocab", [1, 2]), "metadata vocab[0] must be a single character, got 1"],
    ["format of another kind", setMeta("format", "rnnkit.classifier"), 'is a "rnnkit.classifier" checkpoint, expected "rnnkit.charlm"'],
    ["no format", (f) => delete metadataOf(f)["format"], 'has no "format" metadata'],
    ["tensor entry null", (f) => (f.header["head.bias"] = null), 'is not a readable safetensors file: tensor "head.bias": header entry must be an object'],
    ["NaN weight", (f) => pokeFloat(f, "rnn.weight_hh_l0", 3, NaN), 'tensor "rnn.weight_hh_l0" holds NaN at element 3; a model with non-finite weights cannot be used'],
    ["infinite bias", (f) => pokeFloat(f, "head.bias", 0, -Infinity), 'tensor "head.bias" holds -Infinity at element 0'],
    ["unexpected tensor", (f) => (f.header["extra"] = f.header["head.bias"], delete f.header["head.bias"]), 'tensor "extra" is not part of the configuration'],
  ];

  it.each(CHARLM)("sample and eval refuse a character model with %s", async (_what, edit, message) => {
    const file = edited(TORCH, edit);
    for (const args of [["sample", file], ["eval", file, "--data", data]]) {
      const r = await runInProcess(args);
      expectOneLineFailure(r, args[0]!, message);
      expect(r.stdout).toBe("");
    }
  });

  it("a model whose finite weights still overflow is refused by sample and eval, not printed as blanks", async () => {
    // Every output weight at float32's maximum: the logits overflow for any hidden state.
    const file = edited(TORCH, (f) => {
      const e = f.header["head.weight"] as { shape: number[] };
      for (let i = 0; i < e.shape[0]! * e.shape[1]!; i++) pokeFloat(f, "head.weight", i, 3.4e38);
    });
    const s = await runInProcess(["sample", file, "--length", "3"]);
    expectOneLineFailure(s, "sample", /the model's output became (NaN|-?Infinity) at generated character 1/);
    expect(s.stdout).toBe("");
    expectOneLineFailure(await runInProcess(["eval", file, "--data", data]), "eval", /the loss on .* is (NaN|Infinity)/);
  });

  const CLASSIFIER: [string, (f: SplitFile) => void, RegExp | string][] = [
    ["fewer labels than classes", (f) => setMeta("labels", ["c"])(f), "metadata labels names 1 classes but config.numClasses is 2"],
    ["more labels than classes", (f) => setMeta("labels", ["c", "v", "x"])(f), "metadata labels names 3 classes but config.numClasses is 2"],
    ["duplicate labels", setMeta("labels", ["v", "v"]), 'metadata labels[1] must be a label not listed before (duplicate), got "v"'],
    ["an empty label", setMeta("labels", ["", "v"]), 'metadata labels[0] must be a non-empty string, got ""'],
    ["numClasses and head disagreeing", (f) => (setField("config", "numClasses", 3)(f), setMeta("labels", ["a", "b", "c"])(f)), /tensor "head\.(weight|bias)" has shape \[2(, 5)?\], the configuration/],
    ["vocabSize without the padding id", (f) => setField("config", "vocabSize", (JSON.parse(metadataOf(f)["vocab"]!) as string[]).length)(f), /config.vocabSize must be \d+ \(with the padding id 0\)/],
    ["lowercase not a boolean", setField("config", "lowercase", "yes"), 'metadata config.lowercase must be true or false, got "yes"'],
    ["config null", setMeta("config", null), "metadata config must be an object, got null"],
    ["no labels", (f) => delete metadataOf(f)["labels"], 'has no "labels" metadata'],
  ];

  it.each(CLASSIFIER)("classify predict refuses a classifier with %s", async (_what, edit, message) => {
    const r = await runInProcess(["classify", "predict", edited(classifier, edit), "aeio"]);
    expectOneLineFailure(r, "classify predict", message);
    expect(r.stdout).toBe("");
  });

  const RESUME: [string, (f: SplitFile) => void, RegExp | string][] = [
    ["empty progress", setMeta("train.progress", {}), "metadata train.progress.epoch is missing"],
    ["progress not JSON", setMeta("train.progress", ""), 'metadata "train.progress" is not valid JSON'],
    ["a negative step", setField("train.progress", "globalStep", -1), "metadata train.progress.globalStep must be an integer in [0,"],
    ["history and epoch disagreeing", setField("train.progress", "epoch", 4), "train.progress is inconsistent: 0 epochs in history, epoch is 4"],
    ["a step past the epoch", (f) => (setField("train.progress", "stepInEpoch", 999)(f), setField("train.progress", "globalStep", 999)(f)), "train.progress.stepInEpoch 999 is past the"],
    ["bad RNG state", setMeta("train.rng", { default: { mt: [1, 2, 3], index: 0, seed: 0 } }), "metadata train.rng.default.mt must be an array of 624 items, got \"3 items\""],
    ["RNG words out of range", (f) => setMeta("train.rng", { default: { mt: new Array(624).fill(-1), index: 0, seed: 0 } })(f), "metadata train.rng.default.mt[0] must be an integer in [0, 4294967295], got -1"],
    ["options of another size", setField("train.options", "hidden", 7), "config.hidden is 6 but train.options.hidden is 7"],
    ["options with a bad optimizer", setField("train.options", "optimizer", "lbfgs"), 'metadata train.options.optimizer must be one of sgd, adam, adamw, rmsprop, got "lbfgs"'],
    ["carried state of the wrong shape", (f) => {
      const e = f.header["train.state.h"] as { shape: number[] };
      e.shape = [e.shape[0]!, e.shape[2]!, e.shape[1]!];
    }, /tensor "train.state.h" has shape \[1, 6, 4\], expected \[1, 4, 6\]/],
    ["no carried cell state", (f) => setMeta("train.optim", metadataOf(f)["train.optim"]!)((delete f.header["train.state.c"], f)), /is not a readable safetensors file|needs the carried cell state/],
    ["optimizer state of the wrong shape", (f) => {
      const e = f.header["optim.state.0.exp_avg"] as { shape: number[] };
      e.shape = [e.shape[1]!, e.shape[0]!];
    }, /metadata train.optim.state.0.exp_avg must be a tensor of the parameter's shape \[\d+, 3\], got "shape \[3, \d+\]"/],
    ["optimizer hyper-parameters of the wrong type", (f) => {
      const o = JSON.parse(metadataOf(f)["train.optim"]!) as { param_groups: Record<string, unknown>[] };
      o.param_groups[0]!["lr"] = "fast";
      metadataOf(f)["train.optim"] = JSON.stringify(o);
    }, 'metadata train.optim.param_groups[0].lr must be a number, got "fast"'],
    ["a data hash of another text", setMeta("train.data", { dataHash: "1:00000000" }), "is not the text"],
  ];

  it.each(RESUME)("train --resume refuses a checkpoint with %s, before training, writing nothing", async (_what, edit, message) => {
    const file = edited(trained, edit);
    const before = readFileSync(file);
    const out = join(dir, `never-${n}.safetensors`);
    const r = await runInProcess(["train", "--data", data, "--resume", file, "--out", out, "--steps", String(step + 1)]);
    expectOneLineFailure(r, "train", message);
    expect(r.stdout).toBe("");
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(() => readFileSync(out)).toThrow();
  });
});

describe("sizes are checked before anything is allocated", () => {
  it.each([
    [["--hidden", "1000000000"], "needs a tensor of 4.00e+18 elements, more than the 2147483647 one array can hold"],
    [["--layers", "1000000000"], /has 1\.\d+e\+14 parameters, more than the 2e\+8 allowed/],
    [["--hidden", "8000", "--layers", "4"], /parameters, more than the 2e\+8 allowed/],
    [["--data", "", "--embedding", "8", "--hidden", "2000", "--layers", "4", "--batch-size", "100000", "--seq-len", "10000"], /needs about [\d.]+ [GTP]B, more than 3\/4 of this machine's/],
  ] as [string[], RegExp | string][])("train %j", async (args, message) => {
    // ["--data", ""] stands for the bundled corpus (a text long enough for any --seq-len).
    const r = await runInProcess(["train", ...(args[0] === "--data" ? args.slice(2) : ["--data", data, ...args]), "--out", join(dir, "big.safetensors")]);
    expectOneLineFailure(r, "train", message);
    expect(r.stderr).toMatch(/--allow-large|lower --hidden/);
  });

  it("--allow-large lifts the parameter ceiling but never the one-array limit", async () => {
    const r = await runInProcess(["train", "--data", data, "--hidden", "1000000000", "--allow-large", "--out", join(dir, "big.safetensors")]);
    expectOneLineFailure(r, "train", "more than the 2147483647 one array can hold");
    const c = await runInProcess(["classify", "train", "--data", csv, "--layers", "1000000000", "--out", join(dir, "big.safetensors")]);
    expectOneLineFailure(c, "classify train", "parameters, more than the 2e+8 allowed");
  });
});

describe("--debug and RNNKIT_DEBUG=1 show the stack; without them there is none", () => {
  it("for a usage error and for a command's error", () => {
    for (const args of [["train", "--hidden", "x"], ["info", TORCH + ".missing"]]) {
      const plain = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, RNNKIT_DEBUG: "" } });
      expect(plain.stderr).not.toMatch(/^\s+at /m);
      expect(plain.status).toBe(1);
      const flag = spawnSync(process.execPath, [BIN, ...args, "--debug"], { encoding: "utf8" });
      expect(flag.stderr.split("\n")[0]).toBe(plain.stderr.split("\n")[0]);
      expect(flag.stderr).toMatch(/^\s+at /m);
      expect(flag.status).toBe(1);
      const env = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, RNNKIT_DEBUG: "1" } });
      expect(env.stderr).toMatch(/^\s+at /m);
    }
  });

  it("an unexpected error is one line with a hint to --debug", async () => {
    const { reportError } = await import("../src/errorReport.js");
    let text = "";
    const code = reportError(new TypeError("Cannot read properties of null (reading 'x')\n    at f (a.js:1:1)"), "sample", false, { stderr: (t) => (text += t) });
    expect(code).toBe(1);
    expect(text).toBe("rnnkit sample: Cannot read properties of null (reading 'x')\nrun with --debug (or RNNKIT_DEBUG=1) for the stack trace\n");
    text = "";
    reportError(Object.assign(new Error("EACCES: permission denied, open 'x'"), { code: "EACCES", path: "x", syscall: "open" }), "train", false, { stderr: (t) => (text += t) });
    expect(text).toBe("rnnkit train: x: permission denied (open)\n");
    text = "";
    reportError(new RangeError("Array buffer allocation failed"), "train", false, { stderr: (t) => (text += t) });
    expect(text.split("\n")[0]).toBe("rnnkit train: out of memory: a tensor too large to allocate (Array buffer allocation failed)");
  });
});

describe("rnnkit info on rnnkit checkpoints", () => {
  it("says whether sample and eval would use the file, and why not", async () => {
    const ok = await runInProcess(["info", TORCH]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("rnnkit sample and eval: usable");
    const bad = await runInProcess(["info", edited(TORCH, setField("config", "dropout", 5))]);
    expect(bad.status).toBe(0);
    expect(bad.stdout).toContain("rnnkit sample and eval: refused: metadata config.dropout must be a finite number in [0, 1), got 5");
    const cls = await runInProcess(["info", edited(classifier, setMeta("labels", ["c"]))]);
    expect(cls.stdout).toContain("rnnkit classify predict: refused: metadata labels names 1 classes but config.numClasses is 2");
    expect(cls.stdout).toMatch(/labels: 1\n/);
  });

  it("refuses a FIFO or a directory without waiting on it", async () => {
    const fifo = join(dir, "pipe.safetensors");
    spawnSync("mkfifo", [fifo]);
    for (const file of [fifo, dir]) expectOneLineFailure(await runInProcess(["info", file]), "info", "is not a regular file");
    expectOneLineFailure(await runInProcess(["sample", fifo]), "sample", "is not a regular file");
  });
});
