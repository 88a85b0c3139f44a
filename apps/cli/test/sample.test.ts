import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, ensureBuilt, rnnkit, tempDir } from "./helpers.js";

const FIXTURES = join(CLI_DIR, "test", "fixtures");

interface Fixture {
  evalText: string;
  models: {
    file: string;
    parameters: number;
    samples: { prime: string; length: number; temperature: number; topK: number; seed: number; text: string }[];
    eval: { loss: number; perplexity: number; bitsPerChar: number; characters: number };
  }[];
}
const fixture = JSON.parse(readFileSync(join(FIXTURES, "torch_charlm.json"), "utf8")) as Fixture;

beforeAll(ensureBuilt, 120_000);

describe("models written by PyTorch (tools/parity/cli_charlm.py)", () => {
  for (const m of fixture.models) {
    it(`${m.file}: samples exactly as the reference sampler, for every setting`, () => {
      for (const s of m.samples) {
        const r = rnnkit([
          "sample", join(FIXTURES, m.file), "--prime", s.prime, "--length", String(s.length),
          "--temperature", String(s.temperature), "--top-k", String(s.topK), "--seed", String(s.seed),
        ]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(`${s.prime}${s.text}\n`);
      }
    });
  }

  it("eval gives PyTorch's loss, perplexity and bits per character", () => {
    const dir = tempDir();
    const text = join(dir, "eval.txt");
    writeFileSync(text, fixture.evalText);
    for (const m of fixture.models) {
      const r = rnnkit(["eval", join(FIXTURES, m.file), "--data", text, "--batch-size", "4", "--seq-len", "16", "--json"]);
      expect(r.status).toBe(0);
      const got = JSON.parse(r.stdout) as Fixture["models"][number]["eval"];
      expect(got.characters).toBe(m.eval.characters);
      expect(got.loss).toBeCloseTo(m.eval.loss, 4);
      expect(got.perplexity / m.eval.perplexity).toBeCloseTo(1, 4);
      expect(got.bitsPerChar).toBeCloseTo(m.eval.bitsPerChar, 4);
    }
  });
});

describe("rnnkit sample errors", () => {
  const model = join(FIXTURES, "torch_charlm_gru.safetensors");

  it("skips prime characters outside the vocabulary and counts them; --strict refuses them, naming them", () => {
    const skipped = rnnkit(["sample", model, "--prime", "Zebra#", "--length", "20"]);
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toBe('note: skipped 2 character(s) of --prime outside the model\'s vocabulary: "Z", "#"\n');
    expect(skipped.stdout).toBe(rnnkit(["sample", model, "--prime", "ebra", "--length", "20"]).stdout);
    const none = rnnkit(["sample", model, "--prime", "ZZ#"]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain("has no character in the model's vocabulary");
    const r = rnnkit(["sample", model, "--prime", "Zebra#", "--strict"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("rnnkit sample: --prime \"Zebra#\" has 2 character(s) outside the model's vocabulary of 31:");
    expect(r.stderr).toContain('"Z", "#"');
  });

  it("rejects bad sampling options", () => {
    expect(rnnkit(["sample", model, "--temperature", "-1"]).stderr).toContain("--temperature must be >= 0");
    expect(rnnkit(["sample", model, "--top-k", "-2"]).stderr).toContain("--top-k must be a non-negative integer");
  });

  it("rejects a safetensors file that is not a character model", () => {
    const dir = tempDir();
    const file = join(dir, "plain.safetensors");
    const header = JSON.stringify({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    writeFileSync(file, Buffer.concat([len, Buffer.from(header), Buffer.alloc(4)]));
    const r = rnnkit(["sample", file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has no "format" metadata; expected an rnnkit checkpoint of format "rnnkit.charlm"');
  });

  it("eval needs --data (shown as required); it skips and counts characters outside the vocabulary, --strict refuses them", () => {
    const missing = rnnkit(["eval", model]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`rnnkit eval: required option '--data <file>' not specified\nrun "rnnkit eval --help" for usage\n`);
    expect(rnnkit(["eval", "--help"]).stdout).toMatch(/--data <file>\s+text to evaluate on \(required\)/);
    const dir = tempDir();
    writeFileSync(join(dir, "x.txt"), "ZZZ");
    const r = rnnkit(["eval", model, "--data", join(dir, "x.txt")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/data file .*x\.txt needs at least 2 characters in the model's vocabulary, got 0 \(3 skipped\)/);
    writeFileSync(join(dir, "mixed.txt"), "the ZZ cat# sat");
    writeFileSync(join(dir, "clean.txt"), "the  cat sat");
    const mixed = rnnkit(["eval", model, "--data", join(dir, "mixed.txt"), "--json"]);
    expect(mixed.status).toBe(0);
    const clean = rnnkit(["eval", model, "--data", join(dir, "clean.txt"), "--json"]);
    expect(JSON.parse(mixed.stdout)).toEqual({ ...JSON.parse(clean.stdout), skipped: 3 });
    const strict = rnnkit(["eval", model, "--data", join(dir, "mixed.txt"), "--strict"]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/data file .*mixed\.txt has 3 character\(s\) outside the model's vocabulary of 31: "Z", "#"/);
  });
});
