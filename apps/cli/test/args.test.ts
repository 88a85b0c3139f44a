import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { intArg, numArg, seedArg } from "../src/argParsers.js";
import { expectOneLineFailure, runInProcess, tempDir } from "./helpers.js";

// Every run here fails before any work: when the arguments parse, --out names a directory.
const dir = tempDir();
const outDir = join(dir, "a-directory");
mkdirSync(outDir);
const text = join(dir, "text.txt");
writeFileSync(text, "hello world, hello rnnkit. ".repeat(20));

describe("strict number parsing", () => {
  it("integers: decimal only, no hex, exponents, fractions, blanks or values past 2^53", () => {
    expect(intArg("64")).toBe(64);
    expect(intArg(" +7 ")).toBe(7);
    expect(intArg("-3")).toBe(-3);
    for (const bad of ["0x10", "1e3", "1.5", "1.", "", " ", "ten", "Infinity", "NaN", "0b11", "0o7", "1_000", "9007199254740993", "--5", "5a"]) {
      expect(() => intArg(bad), bad).toThrow(/expected an integer/);
    }
    expect(() => intArg("0x10")).toThrow('got "0x10" (write it in decimal)');
    expect(() => intArg("1e3")).toThrow('got "1e3" (no fractions or exponents)');
  });

  it("numbers: decimal with optional fraction and exponent, finite", () => {
    expect(numArg("1e-3")).toBe(0.001);
    expect(numArg(".5")).toBe(0.5);
    expect(numArg("-0")).toBe(0);
    for (const bad of ["0x10", "Infinity", "-Infinity", "NaN", "", "1e999", "1,5", "e3", "."]) expect(() => numArg(bad), bad).toThrow(/expected a (decimal|finite) number/);
  });

  it("seeds: 0 ≤ seed < 2^64; past 2^53 they keep their low 32 bits, as torch's generator does", () => {
    expect(seedArg("0")).toBe(0);
    expect(seedArg("9007199254740991")).toBe(9007199254740991);
    expect(seedArg("18446744073709551615")).toBe(4294967295);
    expect(seedArg(String(2n ** 60n + 5n))).toBe(5);
    for (const bad of ["18446744073709551616", "99999999999999999999999", "-1", "1e3", "0x1", "1.0", ""]) expect(() => seedArg(bad), bad).toThrow(/seed must be below 2\^64|non-negative decimal integer/);
  });
});

/** [command words, extra args, expected message] — each must fail in one line, before any work. */
const CASES: [string, string[], RegExp | string][] = [
  ["train", ["--hidden", "0x10"], "argument '0x10' is invalid. expected an integer"],
  ["train", ["--hidden", "1e3"], "(no fractions or exponents)"],
  ["train", ["--layers", "1.5"], "argument '1.5' is invalid"],
  ["train", ["--embedding", ""], "expected an integer"],
  ["train", ["--seq-len", "-"], /unknown option|expected an integer/],
  ["train", ["--batch-size", "0"], "--batch-size must be a positive integer, got 0"],
  ["train", ["--epochs", "-2"], "--epochs must be a positive integer, got -2"],
  ["train", ["--steps", "0"], "--steps must be a positive integer, got 0"],
  ["train", ["--lr", "0"], "--lr must be positive, got 0"],
  ["train", ["--lr", "NaN"], "expected a decimal number"],
  ["train", ["--dropout", "1"], "--dropout must be in [0, 1), got 1"],
  ["train", ["--clip", "-1"], "--clip must be >= 0"],
  ["train", ["--val-split", "1"], "--val-split must be in [0, 1), got 1"],
  ["train", ["--seed", "18446744073709551616"], "a seed must be below 2^64"],
  ["train", ["--seed", "-1"], "expected a non-negative decimal integer"],
  ["train", ["--sample-length", "100000000"], "--sample-length must be an integer in [0, 1000000]"],
  ["train", ["--scheduler", "plateau", "--val-split", "0"], "--scheduler plateau lowers the lr when the validation loss stops falling, and --val-split 0 leaves no validation text"],
  ["train", ["--model", "transformer"], /argument 'transformer' is invalid. Allowed choices are rnn, lstm, gru/],
  ["train", ["--optimizer", "lbfgs"], "Allowed choices are sgd, adam, adamw, rmsprop"],
  ["train", ["--bogus"], "unknown option '--bogus'"],
  ["train", ["extra"], "too many arguments"],
  ["train", ["--out", outDir, "--hidden"], "option '--hidden <n>' argument missing"],
  ["train", ["--out", ""], '--out "" is empty'],
  ["classify train", ["--hidden", "0x20"], "expected an integer"],
  ["classify train", ["--val-split", "0"], "--val-split must be in (0, 1), got 0"],
  ["classify train", ["--epochs", "0"], "--epochs must be a positive integer, got 0"],
  ["classify train", ["--lr", "-1"], "--lr must be positive"],
  ["classify train", ["--seed", "1e3"], "non-negative decimal integer"],
  ["classify predict", [], "missing required argument 'model'"],
  ["classify predict", ["m.safetensors"], "missing required argument 'text'"],
  ["classify predict", ["m.safetensors", "word", "--top", "0"], "--top must be a positive integer, got 0"],
  ["classify predict", ["m.safetensors", ""], "the text to classify is empty"],
  ["sample", [], "missing required argument 'model'"],
  ["sample", ["m", "--length", "1e3"], "expected an integer"],
  ["sample", ["m", "--length", "-1"], "--length must be a non-negative integer"],
  ["sample", ["m", "--temperature", "-0.5"], "--temperature must be >= 0"],
  ["sample", ["m", "--top-k", "0x2"], "write it in decimal"],
  ["sample", ["m", "--seed", "18446744073709551616"], "below 2^64"],
  ["sample", ["m", "--prime", ""], "--prime must not be empty"],
  ["sample", [join(dir, "missing.safetensors")], /cannot read model .*missing\.safetensors: no such file/],
  ["sample", [dir], "is not a regular file"],
  ["eval", ["m"], "required option '--data <file>' not specified"],
  ["eval", ["m", "--data", text, "--seq-len", "0"], "--seq-len must be a positive integer, got 0"],
  ["eval", ["m", "--data", text, "--batch-size", "1.0"], "expected an integer"],
  ["info", [], "missing required argument 'model'"],
  ["info", [text, "extra"], "too many arguments"],
  ["info", [text], /text\.txt is not a readable safetensors file/],
  ["bench", ["--hidden", "0"], "--hidden must be a positive integer, got 0"],
  ["bench", ["--hidden", "1000000000"], "more than the 2147483647 one array can hold"],
  ["bench", ["--layers", "1000000000"], "parameters, more than the 2e+8 allowed"],
  ["tutorial", ["--model", "cnn"], "Allowed choices are"],
  ["tutorial", ["--seed", "0x1"], "non-negative decimal integer"],
];

describe("every bad argument fails in one line, before any work, with nothing written", () => {
  it.each(CASES)("rnnkit %s %j", async (command, extra, message) => {
    const withOut = command.endsWith("train") && !extra.includes("--out") ? ["--out", outDir] : [];
    const r = await runInProcess([...command.split(" "), ...extra, ...withOut]);
    expectOneLineFailure(r, command, message);
    expect(r.stdout).toBe("");
    expect(readdirSync(outDir)).toEqual([]);
  });

  it("usage errors get a hint line pointing at the command's help; unknown commands name themselves", async () => {
    const r = await runInProcess(["train", "--bogus"]);
    expect(r.stderr).toBe(`rnnkit train: unknown option '--bogus'\nrun "rnnkit train --help" for usage\n`);
    const fly = await runInProcess(["fly"]);
    expect(fly.stderr).toBe(`rnnkit: unknown command 'fly'\nrun "rnnkit --help" for usage\n`);
    expect(fly.status).toBe(1);
    const bare = await runInProcess([]);
    expect(bare.stderr).toBe(`rnnkit: missing command\nrun "rnnkit --help" for usage\n`);
    const classify = await runInProcess(["classify"]);
    expect(classify.stderr).toBe(`rnnkit classify: missing command\nrun "rnnkit classify --help" for usage\n`);
  });

  it("--help and --version still succeed", async () => {
    expect((await runInProcess(["--version"])).status).toBe(0);
    const help = await runInProcess(["train", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--allow-large");
  });

  it("random values for every numeric flag either parse or fail in one line (property)", async () => {
    const flags: [string, string][] = [
      ["train", "--hidden"], ["train", "--layers"], ["train", "--embedding"], ["train", "--seq-len"], ["train", "--batch-size"],
      ["train", "--epochs"], ["train", "--steps"], ["train", "--lr"], ["train", "--dropout"], ["train", "--clip"],
      ["train", "--val-split"], ["train", "--seed"], ["train", "--sample-length"],
      ["classify train", "--hidden"], ["classify train", "--batch-size"], ["classify train", "--lr"], ["classify train", "--val-split"],
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom("0x10", "1e3", "1.5", "-0", "+1", "Infinity", "NaN", "1e309", "18446744073709551616", "9".repeat(30), "٣", "１"),
      fc.integer().map(String),
      fc.double().map(String),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...flags), value, async ([command, flag], v) => {
        if (v.startsWith("-") && !/^-[\d.]/.test(v)) return; // commander reads it as another option
        const r = await runInProcess([...command.split(" "), `${flag}=${v}`, "--out", outDir]);
        expectOneLineFailure(r, command);
        expect(r.stdout).toBe("");
        expect(r.stderr.includes(flag) || r.stderr.includes("--out")).toBe(true);
      }),
      { numRuns: 150, seed: 16 },
    );
    expect(readdirSync(outDir)).toEqual([]);
  });
});
