import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { wordOrigin } from "@rnnkit/dataset-word-origin";
import * as rk from "rnnkit";
import { defaultConfig, type PlaygroundConfig } from "../src/config.js";
import { torchExportProblem } from "../src/torchExportProblem.js";
import { torchProjectZip } from "../src/torchExportZip.js";
import { Trainer } from "../src/trainer.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const hasUnzip = spawnSync("unzip", ["-v"]).status === 0;
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

function trained(config: PlaygroundConfig): { zip: ReturnType<typeof torchProjectZip>; ckpt: ReturnType<typeof rk.io.loadSafetensors> } {
  const trainer = new Trainer(config);
  trainer.trainStep();
  const bytes = trainer.saveCheckpoint();
  return { zip: torchProjectZip(bytes, config), ckpt: rk.io.loadSafetensors(bytes) };
}

function checkArchive(zip: Uint8Array, folder: string): Record<string, Uint8Array> {
  const files = rk.torchExport.readZipStore(zip);
  const dir = mkdtempSync(join(tmpdir(), "rnnkit-pg-zip-"));
  writeFileSync(join(dir, "p.zip"), zip);
  if (hasUnzip) {
    const t = spawnSync("unzip", ["-t", join(dir, "p.zip")], { encoding: "utf8" });
    expect(t.stdout).toContain("No errors detected");
  }
  if (hasPython) {
    const py = Object.keys(files).filter((k) => k.endsWith(".py"));
    for (const k of py) writeFileSync(join(dir, k.replace(/\//g, "_")), files[k]!);
    const r = spawnSync("python3", ["-m", "py_compile", ...py.map((k) => join(dir, k.replace(/\//g, "_")))], { encoding: "utf8" });
    expect(r.stderr).toBe("");
  }
  expect(Object.keys(files)).toContain(`${folder}/train.py`);
  return files;
}

describe("PyTorch project zip from the playground", () => {
  it("the text task becomes an rnnkit char model: renamed weights, same vocabulary, the text as data", () => {
    const config = { ...defaultConfig("text"), cell: "gru" as const, hiddenSize: 12, embeddingDim: 6, numLayers: 2, text: "to be or not to be, that is the question. ".repeat(12) };
    const { zip, ckpt } = trained(config);
    expect(zip.name).toBe("rnnkit-torch-text-gru.zip");
    const files = checkArchive(zip.bytes, "rnnkit-torch-text-gru");
    const init = rk.io.loadSafetensors(files["rnnkit-torch-text-gru/init.safetensors"]!);
    expect(init.metadata["format"]).toBe("rnnkit.charlm");
    const cfg = JSON.parse(init.metadata["config"]!);
    expect(cfg).toEqual({ model: "gru", vocabSize: JSON.parse(ckpt.metadata["symbols"]!).length, embedding: 6, hidden: 12, layers: 2, dropout: 0 });
    expect(Object.fromEntries(Object.entries(init.tensors).map(([k, t]) => [k, [...t.shape]]))).toEqual(rk.torchExport.stateDictShapes({ kind: "charlm", config: cfg }));
    expect(Array.from(init.tensors["embed.weight"]!.data())).toEqual(Array.from(ckpt.tensors["embedding.weight"]!.data()));
    expect(Array.from(init.tensors["head.bias"]!.data())).toEqual(Array.from(ckpt.tensors["fc.bias"]!.data()));
    expect(decode(files["rnnkit-torch-text-gru/data/train.txt"]!)).toBe(config.text);
    expect(decode(files["rnnkit-torch-text-gru/data.py"]!)).toContain(`VOCAB = ${rk.torchExport.pyLiteral(JSON.parse(ckpt.metadata["symbols"]!))}`);
  });

  it("word origin becomes an rnnkit classifier whose embedding gains the padding row", () => {
    const config = { ...defaultConfig("wordOrigin"), cell: "lstm" as const, hiddenSize: 8, embeddingDim: 4, batchSize: 8 };
    const { zip, ckpt } = trained(config);
    const files = checkArchive(zip.bytes, "rnnkit-torch-wordOrigin-lstm");
    const init = rk.io.loadSafetensors(files["rnnkit-torch-wordOrigin-lstm/init.safetensors"]!);
    expect(init.metadata["format"]).toBe("rnnkit.classifier");
    const before = ckpt.tensors["embedding.weight"]!;
    const after = init.tensors["embed.weight"]!;
    expect(after.shape).toEqual([before.shape[0]! + 1, 4]);
    expect(Array.from(after.data().subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(after.data().subarray(4))).toEqual(Array.from(before.data()));
    expect(JSON.parse(init.metadata["labels"]!)).toEqual(JSON.parse(ckpt.metadata["labelNames"]!));
    const train = decode(files["rnnkit-torch-wordOrigin-lstm/data/train.csv"]!).trim().split("\n");
    expect(train.length - 1).toBe(wordOrigin({ split: "train", seed: config.seed }).length);
  });

  it("names what keeps other configurations from exporting", () => {
    expect(torchExportProblem(defaultConfig("hello"))).toMatch(/text and word-origin tasks, not "hello"/);
    expect(torchExportProblem({ ...defaultConfig("text"), input: "onehot" })).toMatch(/choose input "embedding"/);
    expect(torchExportProblem({ ...defaultConfig("text"), cell: "rnn-relu" })).toMatch(/uses tanh/);
    expect(torchExportProblem({ ...defaultConfig("wordOrigin"), bidirectional: true })).toMatch(/unidirectional/);
    expect(torchExportProblem(defaultConfig("text"))).toBeNull();
  });
});
