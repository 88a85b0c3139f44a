import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as rk from "rnnkit";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, jsonLines, rnnkit, tempDir } from "./helpers.js";

beforeAll(ensureBuilt, 120_000);

/** Words of 2-9 letters drawn from `letters`, with a seeded generator. */
function words(letters: string, n: number, g: rk.Generator): string[] {
  return Array.from({ length: n }, () => {
    const len = g.randint(2, 10);
    return Array.from({ length: len }, () => letters[g.randint(0, letters.length)]).join("");
  });
}

describe("rnnkit classify", () => {
  it("trains on a user CSV of text,label with variable-length words, then predicts", () => {
    const dir = tempDir();
    const g = new rk.Generator(5);
    const rows = ["text,label", ...words("aeiou", 150, g).map((w) => `${w},vowels`), ...words("bcdfg", 150, g).map((w) => `${w},consonants`), ...words("xyz", 150, g).map((w) => `"${w}",xyz`)];
    const csv = join(dir, "words.csv");
    writeFileSync(csv, `${rows.join("\n")}\n`);
    const out = join(dir, "cls.safetensors");
    const r = rnnkit(["classify", "train", "--data", csv, "--epochs", "4", "--hidden", "16", "--embedding", "8", "--batch-size", "32", "--lr", "0.02", "--out", out, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout);
    const done = lines.find((l) => l["event"] === "done")!;
    expect(done["accuracy"]).toBeGreaterThan(0.9);
    const confusion = lines.find((l) => l["event"] === "confusion")!;
    expect(JSON.parse(confusion["labels"] as string)).toEqual(["consonants", "vowels", "xyz"]);
    const matrix = JSON.parse(confusion["matrix"] as string) as number[][];
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(45);
    const ckpt = rk.io.loadSafetensors(new Uint8Array(readFileSync(out)));
    expect(ckpt.metadata["format"]).toBe("rnnkit.classifier");
    expect(ckpt.tensors["embed.weight"]!.shape).toEqual([14, 8]);
    expect(ckpt.tensors["rnn.weight_hh_l0"]!.shape).toEqual([48, 16]);

    const p = rnnkit(["classify", "predict", out, "aeiuoa"]);
    expect(p.status).toBe(0);
    const ranked = p.stdout.trim().split("\n").map((l) => l.split("\t"));
    expect(ranked.map(([l]) => l)[0]).toBe("vowels");
    expect(ranked).toHaveLength(3);
    const probs = ranked.map(([, q]) => Number(q));
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect([...probs].sort((a, b) => b - a)).toEqual(probs);
    const skipped = rnnkit(["classify", "predict", out, "aeiuoa!"]);
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toBe(p.stdout);
    expect(skipped.stderr).toBe("note: skipped 1 character(s) outside the model's vocabulary\n");
    const bad = rnnkit(["classify", "predict", out, "hello!", "--strict"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("outside the model's vocabulary");
    const badCsv = join(dir, "bad.csv");
    writeFileSync(badCsv, "just text without a label\n");
    expect(rnnkit(["classify", "train", "--data", badCsv]).stderr).toMatch(/bad\.csv line 1: expected "text,label"/);
  });

  it("learns the bundled word-origin set and prints a confusion matrix", () => {
    const dir = tempDir();
    const out = join(dir, "origin.safetensors");
    const r = rnnkit(["classify", "train", "--epochs", "1", "--hidden", "32", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("14400 training and 1600 validation examples, 8 labels");
    expect(r.stdout).toContain("confusion matrix (rows: true label, columns: predicted):");
    const acc = Number(/validation accuracy (\d+\.\d)%; saved/.exec(r.stdout)![1]);
    expect(acc).toBeGreaterThan(40);
    const p = rnnkit(["classify", "predict", out, "Schmetterling"]);
    expect(p.status).toBe(0);
    expect(p.stdout.trim().split("\n")).toHaveLength(3);
  });
});
