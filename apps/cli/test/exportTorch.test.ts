import * as rk from "rnnkit";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CharLM, CELL_KINDS } from "../src/charModel.js";
import { makeOptimizer, OPTIMIZERS, Schedule, SCHEDULERS } from "../src/optimSetup.js";
import { textHash } from "../src/textData.js";
import { WordClassifier } from "../src/wordClassifier.js";
import { ensureBuilt, REPO, rnnkit, tempDir } from "./helpers.js";

beforeAll(ensureBuilt, 120_000);

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const TEXT = readFileSync(join(REPO, "apps", "cli", "README.md"), "utf8").slice(0, 4000);

function shapesOf(sd: Record<string, rk.Tensor>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, [...t.shape]]));
}

/** Every .py file under dir compiles (python3 -m py_compile), in one python3 call. */
function pyCompileAll(dirs: string[]): void {
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".py")).map((f) => join(d, f)));
  const r = spawnSync("python3", ["-c", "import py_compile, sys\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True)", ...files], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}

function writeProject(dir: string, files: rk.torchExport.ProjectFiles): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

describe("rk.torchExport.torchProject over the CLI's option space", () => {
  it("names rnnkit's parameters for every cell, depth and classifier, and its files compile", () => {
    const root = tempDir();
    const dirs: string[] = [];
    const vocab = Array.from(new Set(Array.from(TEXT))).sort();
    for (const model of CELL_KINDS) {
      for (const layers of [1, 2]) {
        for (const [i, optimizer] of OPTIMIZERS.entries()) {
          const scheduler = SCHEDULERS[(i + layers) % SCHEDULERS.length]!;
          const config = { model, vocabSize: vocab.length, embedding: 5, hidden: 7, layers, dropout: layers > 1 ? 0.25 : 0 };
          const options = {
            data: null, model, embedding: 5, hidden: 7, layers, dropout: config.dropout, seqLen: 16, batchSize: 4, epochs: 2, steps: null,
            lr: 0.01, optimizer, scheduler, clip: i % 2, valSplit: 0.05, seed: 3, sampleLength: 0,
          };
          const files = rk.torchExport.torchProject({ kind: "charlm", config, vocab, options, text: TEXT, dataHash: textHash(TEXT) });
          const expected = shapesOf(new CharLM(config).stateDict());
          expect(rk.torchExport.stateDictShapes({ kind: "charlm", config })).toEqual(expected);
          expect(files["model.py"]).toContain(`STATE_DICT_SHAPES = ${rk.torchExport.pyLiteral(expected)}`);
          expect(files["train.py"]).toContain(`"optimizer": "${optimizer}"`);
          expect(files["train.py"]).toContain(`"scheduler": "${scheduler}"`);
          expect(files["data.py"]).toContain(`VOCAB = ${rk.torchExport.pyLiteral(vocab)}`);
          const dir = join(root, `charlm-${model}-${layers}-${optimizer}`);
          writeProject(dir, files);
          dirs.push(dir);
        }
        const cconfig = { model, vocabSize: 27, embedding: 4, hidden: 6, layers, numClasses: 3, lowercase: true };
        const labels = ["a", "b", "c"];
        const cfiles = rk.torchExport.torchProject({
          kind: "classifier", config: cconfig, vocab: "abcdefghijklmnopqrstuvwxyz".split(""), labels,
          options: { epochs: 1, batchSize: 8, lr: 0.01, seed: 0, clip: 5 },
          data: { train: [{ text: 'say "hi", there', label: "a" }, { text: "plain", label: "b" }], val: [{ text: "x", label: "c" }] },
        });
        expect(rk.torchExport.stateDictShapes({ kind: "classifier", config: cconfig })).toEqual(shapesOf(new WordClassifier(cconfig).stateDict()));
        expect(cfiles["data/train.csv"]).toBe('text,label\n"say ""hi"", there",a\nplain,b\n');
        const dir = join(root, `classifier-${model}-${layers}`);
        writeProject(dir, cfiles);
        dirs.push(dir);
      }
    }
    if (hasPython) pyCompileAll(dirs);
  });

  it("train.py writes optimizer and schedule state with exactly the keys rnnkit's optimizers and schedules have", () => {
    const spec = (optimizer: (typeof OPTIMIZERS)[number]) => rk.torchExport.torchProject({
      kind: "charlm", config: { model: "rnn", vocabSize: 2, embedding: 2, hidden: 2, layers: 1, dropout: 0 }, vocab: ["a", "b"],
      options: {
        data: null, model: "rnn", embedding: 2, hidden: 2, layers: 1, dropout: 0, seqLen: 2, batchSize: 1, epochs: 1, steps: null,
        lr: 0.1, optimizer, scheduler: "none", clip: 1, valSplit: 0, seed: 0, sampleLength: 0,
      },
    })["train.py"] as string;
    const train = spec("adam");
    const groupKeys: Record<string, string[]> = {};
    for (const name of OPTIMIZERS) {
      const opt = makeOptimizer(name, [rk.zeros([2], { requiresGrad: true })], 0.1);
      groupKeys[name] = Object.keys(opt.stateDict().param_groups[0]!);
    }
    const scheduleKeys: Record<string, string[]> = {};
    const added = new Set<string>();
    for (const name of SCHEDULERS) {
      const opt = makeOptimizer("adam", [rk.zeros([2], { requiresGrad: true })], 0.1);
      const schedule = new Schedule(name, opt, 0.1, 10);
      scheduleKeys[name] = Object.keys(schedule.stateDict());
      for (const k of Object.keys(opt.stateDict().param_groups[0]!)) if (!groupKeys["adam"]!.includes(k)) added.add(k);
    }
    expect(train).toContain(`RNNKIT_GROUP_KEYS = ${rk.torchExport.pyLiteral(groupKeys)}`);
    expect(train).toContain(`RNNKIT_SCHEDULE_KEYS = ${rk.torchExport.pyLiteral(scheduleKeys)}`);
    const listed = /SCHEDULE_GROUP_KEYS = (\[[^\]]*\])/.exec(train)?.[1];
    expect(new Set(JSON.parse(listed!) as string[])).toEqual(added);
  });

  it("refuses a spec whose vocabulary, labels or options do not fit the config", () => {
    const config = { model: "lstm" as const, vocabSize: 3, embedding: 2, hidden: 2, layers: 1, dropout: 0 };
    const options = {
      data: null, model: "lstm" as const, embedding: 2, hidden: 2, layers: 1, dropout: 0, seqLen: 4, batchSize: 2, epochs: 1, steps: null,
      lr: 0.1, optimizer: "adam" as const, scheduler: "none" as const, clip: 1, valSplit: 0, seed: 0, sampleLength: 0,
    };
    expect(() => rk.torchExport.torchProject({ kind: "charlm", config, vocab: ["a", "b"], options })).toThrow(/vocabulary has 2 characters but config.vocabSize is 3/);
    expect(() => rk.torchExport.torchProject({ kind: "charlm", config, vocab: ["a", "b", "c"], options: { ...options, hidden: 4 } })).toThrow(/do not describe config/);
    expect(() => rk.torchExport.torchProject({ kind: "charlm", config, vocab: ["a", "b", "c"], options, text: "abcd" })).toThrow(/outside the vocabulary: "d"/);
  });
});

describe("rnnkit export torch", () => {
  let dir: string;
  let textPath: string;
  let ckpt: string;
  beforeAll(() => {
    dir = tempDir();
    textPath = join(dir, "text.txt");
    writeFileSync(textPath, `${TEXT}\u{1F600} snow\u2603\n`);
    ckpt = join(dir, "m.safetensors");
    const r = rnnkit(["train", "--data", textPath, "--model", "gru", "--layers", "2", "--embedding", "6", "--hidden", "8", "--seq-len", "16",
      "--batch-size", "4", "--steps", "3", "--epochs", "2", "--optimizer", "sgd", "--scheduler", "cosine", "--sample-length", "0", "--json", "--out", ckpt]);
    expect(r.status).toBe(0);
  });

  it("writes the project for a checkpoint: the checkpoint, the text, its options and vocabulary", () => {
    const out = join(dir, "proj");
    const r = rnnkit(["export", "torch", ckpt, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("GRU char model, sgd, schedule cosine, batch 4×16");
    expect(readdirSync(out).sort()).toEqual(["README.md", "checkpoint.py", "data", "data.py", "distributed.py", "init.safetensors", "model.py", "rnnkit_format.py", "train.py"]);
    expect(readFileSync(join(out, "init.safetensors")).equals(readFileSync(ckpt))).toBe(true);
    expect(readFileSync(join(out, "data", "train.txt"), "utf8")).toBe(readFileSync(textPath, "utf8"));
    const { metadata } = rk.io.loadSafetensors(new Uint8Array(readFileSync(ckpt)));
    const train = readFileSync(join(out, "train.py"), "utf8");
    expect(train).toContain(rk.torchExport.pyLiteral(JSON.parse(metadata["train.options"]!)));
    expect(readFileSync(join(out, "data.py"), "utf8")).toContain(`VOCAB = ${rk.torchExport.pyLiteral(JSON.parse(metadata["vocab"]!))}`);
    expect(readFileSync(join(out, "README.md"), "utf8")).toContain("torchrun --standalone --nproc_per_node=4 train.py --steps 2000");
    expect(statSync(join(out, "train.py")).mode & 0o111).not.toBe(0);
    if (hasPython) pyCompileAll([out]);
  });

  it.skipIf(!hasPython)("the project's plain-Python checkpoint code round-trips rnnkit's file: tensors, metadata, optimizer packing, text hash", () => {
    const out = join(dir, "roundtrip");
    expect(rnnkit(["export", "torch", ckpt, "--out", out]).status).toBe(0);
    const script = [
      "import json, sys",
      "import rnnkit_format as rf",
      "entries, meta = rf.decode_safetensors(open('init.safetensors', 'rb').read())",
      "tensors = {}",
      "optim = rf.pack(rf.unpack(json.loads(meta['train.optim']), entries), rf.OPTIM_PREFIX, tensors, lambda v: isinstance(v, tuple))",
      "assert optim == json.loads(meta['train.optim']), 'optimizer state packs back to the same JSON'",
      "meta['train.optim'] = rf.dumps(optim)",
      "open('back.safetensors', 'wb').write(rf.encode_safetensors(entries, meta))",
      "print(rf.text_hash(open(sys.argv[1], encoding='utf-8').read()))",
    ].join("\n");
    const r = spawnSync("python3", ["-c", script, textPath], { cwd: out, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(textHash(readFileSync(textPath, "utf8")));
    const a = rk.io.loadSafetensors(new Uint8Array(readFileSync(ckpt)));
    const b = rk.io.loadSafetensors(new Uint8Array(readFileSync(join(out, "back.safetensors"))));
    expect(Object.keys(b.metadata).sort()).toEqual(Object.keys(a.metadata).sort());
    for (const k of Object.keys(a.metadata)) expect(k === "train.optim" ? JSON.parse(b.metadata[k]!) : b.metadata[k]).toEqual(k === "train.optim" ? JSON.parse(a.metadata[k]!) : a.metadata[k]);
    expect(Object.keys(b.tensors).sort()).toEqual(Object.keys(a.tensors).sort());
    for (const [k, t] of Object.entries(a.tensors)) expect(Array.from(b.tensors[k]!.data())).toEqual(Array.from(t.data()));
    // and rnnkit resumes from the file the Python side wrote
    const resumed = rnnkit(["train", "--resume", join(out, "back.safetensors"), "--out", join(out, "back2.safetensors"), "--steps", "4", "--data", textPath, "--json"]);
    expect(resumed.stderr).toBe("");
    expect(resumed.status).toBe(0);
  });

  it("exports a classifier with its data split, and a fresh run from training options", () => {
    const csv = join(dir, "words.csv");
    const words = ["anna", "bert", "carl", "dora", "emil", "fritz", "gerd", "hans", "ilse", "jan"];
    writeFileSync(csv, `text,label\n${words.map((w, i) => `${w},${i % 2 ? "odd" : "even"}`).join("\n")}\n`);
    const cls = join(dir, "cls.safetensors");
    expect(rnnkit(["classify", "train", "--data", csv, "--epochs", "1", "--hidden", "4", "--embedding", "3", "--val-split", "0.2", "--out", cls, "--json"]).status).toBe(0);
    const out = join(dir, "cls-proj");
    const r = rnnkit(["export", "torch", cls, "--out", out, "--val-split", "0.2"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const train = readFileSync(join(out, "data", "train.csv"), "utf8").trim().split("\n").slice(1);
    const val = readFileSync(join(out, "data", "val.csv"), "utf8").trim().split("\n").slice(1);
    expect(train.length).toBe(8);
    expect(val.length).toBe(2);
    expect(readFileSync(join(out, "data.py"), "utf8")).toContain('LABELS = ["even", "odd"]');
    const fresh = join(dir, "fresh");
    const f = rnnkit(["export", "torch", "--task", "charlm", "--data", textPath, "--model", "rnn", "--hidden", "9", "--optimizer", "rmsprop", "--out", fresh]);
    expect(f.stderr).toBe("");
    expect(existsSync(join(fresh, "init.safetensors"))).toBe(false);
    expect(readFileSync(join(fresh, "train.py"), "utf8")).toContain("DEFAULT_INIT = None");
    expect(readFileSync(join(fresh, "model.py"), "utf8")).toContain('"rnn.weight_hh_l0": [9, 9]');
    if (hasPython) pyCompileAll([out, fresh]);
  });

  it("checks --out and the checkpoint before any work, with one-line errors", () => {
    const busy = join(dir, "busy");
    mkdirSync(busy, { recursive: true });
    writeFileSync(join(busy, "keep.txt"), "x");
    const cases: [string[], RegExp][] = [
      [["export", "torch", ckpt], /^rnnkit export torch: --out DIR is required/],
      [["export", "torch", ckpt, "--out", busy], /^rnnkit export torch: --out .*busy is not empty; choose a new folder or add --force/],
      [["export", "torch", ckpt, "--out", join(busy, "keep.txt")], /^rnnkit export torch: --out .*keep.txt is a file, not a folder/],
      [["export", "torch", join(dir, "missing.safetensors"), "--out", join(dir, "o1")], /^rnnkit export torch: .*missing.safetensors/],
      [["export", "torch", ckpt, "--out", join(dir, "o2"), "--hidden", "64"], /fixes its training options; --hidden cannot change them/],
      [["export", "torch", ckpt, "--out", join(dir, "o3"), "--data", join(REPO, "README.md")], /is not the text .* was trained on/],
      [["export", "torch", "--out", join(dir, "o4"), "--data", textPath, "--seq-len", "0"], /--seq-len must be a positive integer, got 0/],
    ];
    for (const [args, re] of cases) {
      const r = rnnkit(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(readdirSync(busy)).toEqual(["keep.txt"]);
  });
});
