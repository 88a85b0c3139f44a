import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kjvText } from "@rnnkit/dataset-kjv";
import * as rk from "rnnkit";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, jsonLines, rnnkit, rnnkitAsync, tempDir } from "./helpers.js";

// A small text (the corpus' first 3000 characters) and a small, fast configuration with
// 2 layers and dropout, so exact resumption also covers the dropout masks' random stream.
const dir = tempDir();
const data = join(dir, "small.txt");
const SMALL = [
  "--data", data, "--hidden", "32", "--embedding", "16", "--layers", "2", "--dropout", "0.1",
  "--batch-size", "8", "--seq-len", "16", "--lr", "0.01", "--sample-length", "20", "--json",
];
let reference: Record<string, unknown>[] = [];

/** The step losses and epoch results of a run, without timings or paths. */
function curve(lines: Record<string, unknown>[]): string[] {
  return lines
    .filter((l) => l["event"] === "step" || l["event"] === "epoch")
    .map((l) => JSON.stringify({ ...l, tokensPerSec: undefined }));
}

beforeAll(async () => {
  await ensureBuilt();
  writeFileSync(data, kjvText().slice(0, 3000));
  const r = rnnkit(["train", ...SMALL, "--epochs", "2", "--out", join(dir, "ref.safetensors")]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  reference = jsonLines(r.stdout);
}, 120_000);

describe("rnnkit train", () => {
  it("learns the bundled corpus: validation loss falls below the unigram baseline; the checkpoint samples", () => {
    const out = join(dir, "bundled.safetensors");
    const r = rnnkit([
      "train", "--hidden", "32", "--embedding", "16", "--batch-size", "16", "--seq-len", "32", "--steps", "40",
      "--lr", "0.01", "--val-split", "0.003", "--sample-length", "30", "--json", "--out", out,
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout);
    const start = lines.find((l) => l["event"] === "start")!;
    const done = lines.find((l) => l["event"] === "done")!;
    expect(start["trainChars"]).toBeGreaterThan(600_000);
    expect(done["steps"]).toBe(40);
    expect(done["valLoss"] as number).toBeLessThan(done["unigramValLoss"] as number);
    const epoch = lines.find((l) => l["event"] === "epoch")!;
    expect((epoch["sample"] as string).length).toBe(30);
    expect(lines.filter((l) => l["event"] === "step")).toHaveLength(40);

    const ckpt = rk.io.loadSafetensors(new Uint8Array(readFileSync(out)));
    expect(ckpt.metadata["format"]).toBe("rnnkit.charlm");
    expect(JSON.parse(ckpt.metadata["config"]!)).toEqual({ model: "lstm", vocabSize: start["vocabSize"], embedding: 16, hidden: 32, layers: 1, dropout: 0 });
    expect(JSON.parse(ckpt.metadata["vocab"]!)).toHaveLength(start["vocabSize"] as number);
    expect(ckpt.tensors["rnn.weight_ih_l0"]!.shape).toEqual([128, 16]);
    expect(ckpt.tensors["optim.state.0.exp_avg"]!.shape).toEqual(ckpt.tensors["embed.weight"]!.shape);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);

    const s = rnnkit(["sample", out, "--prime", "And God", "--length", "50", "--seed", "1"]);
    expect(s.status).toBe(0);
    expect(Array.from(s.stdout)).toHaveLength("And God".length + 50 + 1);
    expect(s.stdout.startsWith("And God")).toBe(true);
    expect(rnnkit(["sample", out, "--prime", "And God", "--length", "50", "--seed", "1"]).stdout).toBe(s.stdout);
    const ev = rnnkit(["eval", out, "--data", data, "--json"]);
    expect(ev.status).toBe(0);
    const m = JSON.parse(ev.stdout) as { loss: number; perplexity: number; bitsPerChar: number };
    expect(m.perplexity).toBeCloseTo(Math.exp(m.loss), 6);
    expect(m.bitsPerChar).toBeCloseTo(m.loss / Math.LN2, 6);
    const info = rnnkit(["info", out]);
    expect(info.stdout).toContain("training state:");
    expect(info.stdout).not.toMatch(/^optim\./m);
  });

  it("--resume from an epoch checkpoint continues exactly (same losses as one uninterrupted run)", () => {
    const out = join(dir, "b.safetensors");
    const first = rnnkit(["train", ...SMALL, "--epochs", "1", "--out", out]);
    expect(first.status).toBe(0);
    const second = rnnkit(["train", ...SMALL, "--epochs", "2", "--out", out, "--resume"]);
    expect(second.stderr).toBe("");
    expect(second.status).toBe(0);
    const resumed = jsonLines(second.stdout);
    expect(resumed[0]).toMatchObject({ event: "start", resumedAtStep: 22 });
    expect([...curve(jsonLines(first.stdout)), ...curve(resumed)]).toEqual(curve(reference));
    expect(curve(reference).length).toBe(2 * 22 + 2);
  });

  it("--resume after --steps stopped inside an epoch continues exactly", () => {
    const out = join(dir, "c.safetensors");
    const first = rnnkit(["train", ...SMALL, "--steps", "30", "--out", out]);
    const second = rnnkit(["train", ...SMALL, "--steps", "44", "--out", out, "--resume"]);
    expect(second.status).toBe(0);
    const steps = (s: string): string[] => curve(jsonLines(s)).filter((l) => l.includes('"step"'));
    expect([...steps(first.stdout), ...steps(second.stdout)]).toEqual(curve(reference).filter((l) => l.includes('"step"')));
  });

  it("--resume keeps a one-cycle schedule (lr and AdamW betas) on its planned course", () => {
    const cfg = [...SMALL, "--hidden", "16", "--layers", "1", "--optimizer", "adamw", "--scheduler", "onecycle", "--epochs", "2"];
    const ref = rnnkit(["train", ...cfg, "--out", join(dir, "oc-ref.safetensors")]);
    expect(ref.status).toBe(0);
    const out = join(dir, "oc.safetensors");
    // --steps stops the run early; the schedule still spans the 2 epochs.
    const first = rnnkit(["train", ...cfg, "--steps", "30", "--out", out]);
    const second = rnnkit(["train", ...cfg, "--out", out, "--resume"]);
    expect(second.status).toBe(0);
    const full = curve(jsonLines(ref.stdout));
    const lrs = full.filter((l) => l.includes('"step"')).map((l) => (JSON.parse(l) as { lr: number }).lr);
    expect(Math.max(...lrs)).toBeCloseTo(0.01, 4);
    expect(lrs[0]).toBeLessThan(0.001);
    const partial = (l: string): boolean => l.includes('"complete":false');
    expect([...curve(jsonLines(first.stdout)), ...curve(jsonLines(second.stdout))].filter((l) => !partial(l))).toEqual(full);
    const beyond = rnnkit(["train", ...cfg, "--epochs", "3", "--out", out, "--resume"]);
    expect(beyond.status).toBe(1);
    expect(beyond.stderr).toContain("--scheduler onecycle was planned over 44 steps; this run would reach step 66");
  });

  it("Ctrl-C finishes the step, saves, exits 130; --resume then continues exactly", async () => {
    const out = join(dir, "s.safetensors");
    const child = rnnkitAsync(["train", ...SMALL, "--epochs", "2", "--out", out]);
    let stdout = "";
    let sent = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && (stdout.match(/"event":"step"/g) ?? []).length >= 5) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/rnnkit train: interrupted at step \d+; saved .*s\.safetensors \(continue with --resume\)/);
    expect(existsSync(out)).toBe(true);
    const second = rnnkit(["train", ...SMALL, "--epochs", "2", "--out", out, "--resume"]);
    expect(second.status).toBe(0);
    expect([...curve(jsonLines(stdout)), ...curve(jsonLines(second.stdout))]).toEqual(curve(reference));
  });

  it("stops on a NaN loss with a clear message and keeps the last good checkpoint", () => {
    const out = join(dir, "n.safetensors");
    writeFileSync(out, readFileSync(join(dir, "ref.safetensors")));
    const before = readFileSync(out);
    const r = rnnkit(["train", ...SMALL, "--lr", "1e38", "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/rnnkit train: loss became NaN at epoch 1, step \d+; stopped \(the last good checkpoint .*n\.safetensors is kept\)/);
    expect(readFileSync(out).equals(before)).toBe(true);
  });

  it("uses fewer streams when a short text cannot fill --batch-size", () => {
    const short = join(dir, "short.txt");
    writeFileSync(short, kjvText().slice(0, 400));
    const out = join(dir, "short.safetensors");
    const r = rnnkit(["train", "--data", short, "--seq-len", "16", "--hidden", "8", "--embedding", "4", "--steps", "3", "--sample-length", "5", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // 380 training characters: floor(379 / 16) = 23 streams of one chunk each.
    expect(r.stdout).toContain("using --batch-size 23 instead of 32");
    const ckpt = rk.io.loadSafetensors(new Uint8Array(readFileSync(out)));
    expect(JSON.parse(ckpt.metadata["train.options"]!)).toMatchObject({ batchSize: 23, seqLen: 16 });
  });

  it("rejects --resume of a non-checkpoint, of other data, and bad option values", () => {
    const bad = join(dir, "bad.safetensors");
    writeFileSync(bad, "not a checkpoint, not even close");
    const r = rnnkit(["train", ...SMALL, "--out", bad, "--resume"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("is not a readable safetensors file");
    expect(readFileSync(bad, "utf8")).toBe("not a checkpoint, not even close");
    const other = join(dir, "other.txt");
    writeFileSync(other, kjvText().slice(3000, 6000));
    const o = rnnkit(["train", ...SMALL, "--data", other, "--epochs", "3", "--out", join(dir, "ref.safetensors"), "--resume"]);
    expect(o.status).toBe(1);
    expect(o.stderr).toContain("is not the text");
    const changed = rnnkit(["train", ...SMALL, "--hidden", "64", "--epochs", "3", "--out", join(dir, "ref.safetensors"), "--resume"]);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain("--resume continues with the checkpoint's settings; --hidden 64 differs from its 32");
    expect(rnnkit(["train", ...SMALL, "--dropout", "1.5"]).stderr).toContain("--dropout must be in [0, 1), got 1.5");
    expect(rnnkit(["train", ...SMALL, "--steps", "0"]).stderr).toContain("--steps must be a positive integer, got 0");
  });
});
