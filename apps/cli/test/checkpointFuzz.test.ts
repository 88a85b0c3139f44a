import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { kjvText } from "@rnnkit/dataset-kjv";
import * as rk from "rnnkit";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, expectOneLineFailure, runInProcess, tempDir, type RunResult } from "./helpers.js";
import { joinFile, metadataOf, pokeFloat, splitFile, tensorNames, type SplitFile } from "./checkpointEdit.js";

const dir = tempDir();
const data = join(dir, "small.txt");
const csv = join(dir, "words.csv");
const TORCH = new Uint8Array(readFileSync(join(CLI_DIR, "test", "fixtures", "torch_charlm_lstm.safetensors")));
let trained: Uint8Array;
let classifier: Uint8Array;
let trainedStep = 0;

beforeAll(async () => {
  writeFileSync(data, kjvText().slice(0, 1200));
  writeFileSync(csv, ["aeiou,v", "eia,v", "oua,v", "iea,v", "bcd,c", "rst,c", "pqr,c", "xyz,c", "klm,c", "uoe,v"].join("\n"));
  // Stopped inside an epoch, so the checkpoint carries every kind of training state.
  const t = await runInProcess(["train", "--data", data, "--model", "lstm", "--hidden", "6", "--embedding", "3", "--layers", "2", "--seq-len", "8",
    "--batch-size", "4", "--steps", "3", "--optimizer", "adamw", "--scheduler", "plateau", "--sample-length", "0", "--out", join(dir, "trained.safetensors")]);
  expect(t.stderr).toBe("");
  trained = new Uint8Array(readFileSync(join(dir, "trained.safetensors")));
  trainedStep = (JSON.parse(rk.io.loadSafetensors(trained).metadata["train.progress"]!) as { globalStep: number }).globalStep;
  const c = await runInProcess(["classify", "train", "--data", csv, "--hidden", "5", "--embedding", "3", "--epochs", "1", "--val-split", "0.3", "--out", join(dir, "classifier.safetensors")]);
  expect(c.stderr).toBe("");
  classifier = new Uint8Array(readFileSync(join(dir, "classifier.safetensors")));
}, 120_000);

/** Outcomes per command, to show the mutations reach both sides (and print a tally). */
const outcomes = new Map<string, { ok: number; refused: number }>();

/** A run that succeeded, or failed in one line; never a stack, never a crash. */
function expectSuccessOrOneLine(r: RunResult, command: string): void {
  const tally = outcomes.get(command) ?? { ok: 0, refused: 0 };
  outcomes.set(command, tally);
  if (r.status === 0) tally.ok++;
  else tally.refused++;
  if (r.status === 0) return;
  if (process.env["FUZZ_LOG"]) console.log(command, "::", r.stderr.split("\n")[0]);
  expect(r.status).toBe(1);
  expectOneLineFailure(r, command);
}

const ODD_VALUES: unknown[] = [null, -1, 0, 1, 2, 1.5, 1e9, 2 ** 53 + 2, -0.5, 5, "x", "", true, false, [], {}, [1, 2], { a: 1 }, "lstm", "gru", ["a", "a"], ["ab", "c"], ["\n"], 1e-9];
const oddValue = fc.oneof(fc.constantFrom(...ODD_VALUES), fc.jsonValue({ maxDepth: 2 }));

/** One edit of a checkpoint: at the byte, header, metadata or value level. */
type Edit = (f: SplitFile, bytes: Uint8Array) => Uint8Array;

const editArb: fc.Arbitrary<{ what: string; edit: Edit }> = fc.oneof(
  // Raw bytes: flips anywhere, a cut, trailing junk.
  fc.tuple(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 })).map(([flips]) => ({
    what: `bytes ${JSON.stringify(flips)}`,
    edit: (_f: SplitFile, b: Uint8Array) => {
      const out = b.slice();
      for (const [at, v] of flips) out[Math.min(out.length - 1, Math.floor(at * out.length))] = v;
      return out;
    },
  })),
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ what: `cut at ${at}`, edit: (_f: SplitFile, b: Uint8Array) => b.slice(0, Math.floor(at * b.length)) })),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((junk) => ({ what: "junk appended", edit: (_f: SplitFile, b: Uint8Array) => new Uint8Array([...b, ...junk]) })),
  // A tensor entry replaced or one of its fields changed.
  fc.tuple(fc.nat(), fc.constantFrom("entry", "dtype", "shape", "data_offsets"), fc.oneof(oddValue, fc.constantFrom("F16", "BF16", "F64", "I64", "I32", "U8", "BOOL", "X9"))).map(([k, field, v]) => ({
    what: `tensor #${k} ${field} = ${JSON.stringify(v)}`,
    edit: (f: SplitFile) => {
      const names = tensorNames(f);
      const name = names[k % names.length]!;
      if (field === "entry") f.header[name] = v;
      else (f.header[name] as Record<string, unknown>)[field] = v;
      return joinFile(f);
    },
  })),
  fc.tuple(fc.nat(), fc.constantFrom("drop", "rename")).map(([k, how]) => ({
    what: `tensor #${k} ${how}`,
    edit: (f: SplitFile) => {
      const names = tensorNames(f);
      const name = names[k % names.length]!;
      const entry = f.header[name];
      delete f.header[name];
      // Dropping keeps the bytes: the file then has a gap the library refuses, renaming does not.
      if (how === "rename") f.header[`${name}_x`] = entry;
      return joinFile(f);
    },
  })),
  // Metadata: a key removed, replaced by non-JSON, by any JSON, or one field of its JSON changed.
  fc.tuple(fc.constantFrom("format", "config", "vocab", "labels", "train.options", "train.progress", "train.rng", "train.data", "train.optim", "train.scheduler"),
    fc.constantFrom("delete", "not-json", "json", "field", "field-delete", "non-string"), oddValue, fc.nat()).map(([key, how, v, k]) => ({
    what: `metadata ${key} ${how} ${JSON.stringify(v)} #${k}`,
    edit: (f: SplitFile) => {
      const meta = metadataOf(f);
      if (how === "delete") delete meta[key];
      else if (how === "not-json") meta[key] = "{not json";
      else if (how === "json") meta[key] = JSON.stringify(v) ?? "null";
      else if (how === "non-string") (meta as Record<string, unknown>)[key] = v;
      else if (meta[key] !== undefined && key !== "format") {
        const parsed = JSON.parse(meta[key]) as unknown;
        editField(parsed, k, how === "field-delete" ? undefined : v);
        meta[key] = JSON.stringify(parsed);
      }
      return joinFile(f);
    },
  })),
  // Values: a NaN or infinity in a weight.
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity, 3e38)).map(([k, i, v]) => ({
    what: `value ${v} in tensor #${k}`,
    edit: (f: SplitFile) => {
      const names = tensorNames(f).filter((n) => (f.header[n] as { dtype: string }).dtype === "F32");
      const name = names[k % names.length]!;
      const shape = (f.header[name] as { shape: number[] }).shape;
      const size = shape.reduce((a, b) => a * b, 1);
      if (size > 0) pokeFloat(f, name, i % size, v);
      return joinFile(f);
    },
  })),
);

/** Sets (or deletes, for undefined) the k-th field found walking a JSON value. */
function editField(root: unknown, k: number, v: unknown): void {
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      x.forEach((item, i) => {
        slots.push([x, i]);
        walk(item);
      });
    } else if (x !== null && typeof x === "object") {
      for (const [key, item] of Object.entries(x)) {
        slots.push([x as Record<string, unknown>, key]);
        walk(item);
      }
    }
  };
  walk(root);
  if (slots.length === 0) return;
  const [holder, key] = slots[k % slots.length]!;
  if (v === undefined) {
    if (Array.isArray(holder)) holder.splice(key as number, 1);
    else delete holder[key as string];
  } else if (Array.isArray(holder)) {
    holder[key as number] = v;
  } else {
    holder[key as string] = v;
  }
}

/** What the library loads from the bytes, or null when it refuses them. */
function libraryLoad(bytes: Uint8Array): ReturnType<typeof rk.io.loadSafetensors> | null {
  try {
    return rk.io.loadSafetensors(bytes);
  } catch {
    return null;
  }
}

/** `info` succeeds exactly when the library loads the file, and lists exactly its model tensors. */
async function checkInfo(file: string, bytes: Uint8Array): Promise<void> {
  const r = await runInProcess(["info", file]);
  const lib = libraryLoad(bytes);
  if (lib === null) {
    expectOneLineFailure(r, "info", bytes.length === 0 ? "is empty" : "is not a readable safetensors file");
    return;
  }
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const table = r.stdout.split("\n");
  const rows = table.slice(table.findIndex((l) => l.startsWith("name")) + 2).filter((l) => l !== "");
  const listed = rows.map((l) => l.split(/\s{2,}/)).map((c) => [c[0], c[2], c[4]]);
  const want = Object.entries(lib.tensors).filter(([n]) => !n.startsWith("optim.") && !n.startsWith("train.")).map(([n, t]) => [n, `[${t.shape.join(", ")}]`, t.dtype]);
  expect(listed.sort()).toEqual(want.sort());
}

describe("mutated checkpoints: every command succeeds or fails in one line; info agrees with the library (property)", () => {
  it("character models (PyTorch-written and rnnkit-trained) through info, sample and eval", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), editArb, async (useTorch, { edit }) => {
        const base = useTorch ? TORCH : trained;
        const bytes = edit(splitFile(base), base);
        const file = join(dir, `m${n++ % 4}.safetensors`);
        writeFileSync(file, bytes);
        await checkInfo(file, bytes);
        expectSuccessOrOneLine(await runInProcess(["sample", file, "--length", "4", "--prime", "And "]), "sample");
        expectSuccessOrOneLine(await runInProcess(["eval", file, "--data", data, "--seq-len", "16"]), "eval");
      }),
      { numRuns: 250, seed: 1616 },
    );
  });

  it("training checkpoints through train --resume (the original file is never touched)", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(editArb, async ({ edit }) => {
        const bytes = edit(splitFile(trained), trained);
        const file = join(dir, `r${n++ % 4}.safetensors`);
        writeFileSync(file, bytes);
        const r = await runInProcess(["train", "--data", data, "--resume", file, "--out", join(dir, "resumed.safetensors"), "--steps", String(trainedStep + 1), "--sample-length", "0"]);
        expectSuccessOrOneLine(r, "train");
        expect(readFileSync(file).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 150, seed: 1617 },
    );
  });

  it("classifiers through info and classify predict", async () => {
    await fc.assert(
      fc.asyncProperty(editArb, async ({ edit }) => {
        const bytes = edit(splitFile(classifier), classifier);
        const file = join(dir, "c.safetensors");
        writeFileSync(file, bytes);
        await checkInfo(file, bytes);
        expectSuccessOrOneLine(await runInProcess(["classify", "predict", file, "aeio"]), "classify predict");
      }),
      { numRuns: 150, seed: 1618 },
    );
  });

  it("the mutations reach both outcomes for every command", () => {
    for (const command of ["sample", "eval", "train", "classify predict"]) {
      const t = outcomes.get(command)!;
      expect(t.ok, command).toBeGreaterThan(command === "train" ? 3 : 10);
      expect(t.refused, command).toBeGreaterThan(30);
    }
  });
});
