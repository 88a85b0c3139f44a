import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, ensureBuilt, rnnkit, tempDir } from "./helpers.js";

const FIXTURES = join(CLI_DIR, "test", "fixtures");

beforeAll(ensureBuilt, 120_000);

describe("rnnkit info", () => {
  it("describes a PyTorch-written checkpoint: config, vocabulary, parameters, tensor table", () => {
    const r = rnnkit(["info", join(FIXTURES, "torch_charlm_lstm.safetensors")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("format: rnnkit.charlm");
    expect(r.stdout).toMatch(/"model": ?"lstm"/);
    expect(r.stdout).toContain("vocabulary size: 31");
    expect(r.stdout).toContain("parameters: 9,595 in 11 tensors");
    expect(r.stdout).toMatch(/rnn\.weight_ih_l1\s+F32\s+\[96, 24\]\s+2304/);
    expect(r.stdout).toMatch(/embed\.weight\s+F32\s+\[31, 12\]\s+372/);
  });

  it("works on a safetensors file without rnnkit metadata", () => {
    const dir = tempDir();
    const header = JSON.stringify({ w: { dtype: "F64", shape: [2], data_offsets: [0, 16] }, i: { dtype: "I64", shape: [1, 1], data_offsets: [16, 24] } });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    const file = join(dir, "plain.safetensors");
    writeFileSync(file, Buffer.concat([len, Buffer.from(header), Buffer.alloc(24)]));
    const r = rnnkit(["info", file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("no rnnkit metadata");
    expect(r.stdout).toContain("parameters: 3 in 2 tensors");
    expect(r.stdout).toMatch(/w\s+F64\s+\[2\]\s+2/);
  });

  it("rejects missing, empty, non-safetensors and truncated files with a clear message", () => {
    const dir = tempDir();
    const good = readFileSync(join(FIXTURES, "torch_charlm_gru.safetensors"));
    const cases: [string, Buffer | null, RegExp][] = [
      ["missing.safetensors", null, /cannot read model .*missing\.safetensors: no such file/],
      ["empty.safetensors", Buffer.alloc(0), /empty\.safetensors is empty/],
      ["text.safetensors", Buffer.from("hello, this is not a checkpoint at all"), /text\.safetensors is not a readable safetensors file: header length \d+ exceeds/],
      ["short.safetensors", Buffer.from([1, 2, 3]), /short\.safetensors is not a readable safetensors file: file is truncated: 3 bytes/],
      ["cut.safetensors", good.subarray(0, good.length - 100), /cut\.safetensors is not a readable safetensors file: tensor "[\w.]+" data_offsets \[\d+, \d+\] exceed the \d+-byte data section \(file truncated\?\)/],
      ["cuthead.safetensors", good.subarray(0, 40), /cuthead\.safetensors is not a readable safetensors file: header length \d+ runs past the end of the file/],
    ];
    for (const [name, bytes, message] of cases) {
      const file = join(dir, name);
      if (bytes) writeFileSync(file, bytes);
      const others = name === "cut.safetensors" ? [["sample", file], ["eval", file, "--data", file]] : [];
      for (const cmd of [["info", file], ...others]) {
        const r = rnnkit(cmd);
        expect(r.status, `${cmd.join(" ")}`).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe("");
      }
    }
  });
});

describe("rnnkit command line", () => {
  it("prints help listing every command", () => {
    const r = rnnkit(["--help"]);
    expect(r.status).toBe(0);
    for (const cmd of ["tutorial", "train", "classify", "sample", "eval", "info"]) expect(r.stdout).toContain(cmd);
  });

  it("bench reports training and inference throughput per model", () => {
    const r = rnnkit(["bench", "--steps", "1", "--hidden", "8", "--batch-size", "2", "--seq-len", "4", "--json"]);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, number | string>);
    expect(rows.map((x) => x["model"])).toEqual(["rnn", "lstm", "gru"]);
    // Embedding 64×32, the recurrent layer (gates × 8 × (32 + 8 + 2)), Linear 8→64.
    expect(rows.map((x) => x["parameters"])).toEqual([1, 4, 3].map((g) => 64 * 32 + g * 8 * 42 + 8 * 64 + 64));
    for (const x of rows) expect(x["trainTokensPerSec"]).toBeGreaterThan(0);
  });

  it("rejects unknown options, bad numbers and bad choices with a non-zero exit", () => {
    const unknown = rnnkit(["train", "--bogus"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const badInt = rnnkit(["train", "--hidden", "lots"]);
    expect(badInt.status).toBe(1);
    expect(badInt.stderr).toContain('expected an integer, got "lots"');
    const badChoice = rnnkit(["train", "--model", "transformer"]);
    expect(badChoice.status).toBe(1);
    expect(badChoice.stderr).toMatch(/--model <kind>.*transformer.*is invalid/s);
    const unknownCmd = rnnkit(["fly"]);
    expect(unknownCmd.status).toBe(1);
    expect(unknownCmd.stderr).toContain("unknown command 'fly'");
  });

  it("rejects a missing or empty data file without writing a checkpoint", () => {
    const dir = tempDir();
    const out = join(dir, "m.safetensors");
    const missing = rnnkit(["train", "--data", join(dir, "nope.txt"), "--out", out]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/rnnkit train: cannot read data file .*nope\.txt: no such file/);
    writeFileSync(join(dir, "empty.txt"), "");
    const empty = rnnkit(["train", "--data", join(dir, "empty.txt"), "--out", out]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/empty\.txt is empty/);
    const tiny = join(dir, "tiny.txt");
    writeFileSync(tiny, "abc");
    const short = rnnkit(["train", "--data", tiny, "--out", out]);
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/the training text has 3 characters, too few for --seq-len 64 \(need more than 64\); lower --seq-len/);
    expect(() => readFileSync(out)).toThrow();
  });
});
