import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kjvText } from "@rnnkit/dataset-kjv";
import * as rk from "rnnkit";
import { beforeAll, describe, expect, it } from "vitest";
import { removeStaleTemps, tempName, writeFileAtomic } from "../src/atomicWrite.js";
import { BIN, ensureBuilt, rnnkit, tempDir } from "./helpers.js";

beforeAll(ensureBuilt, 120_000);

/** A pid no process has: the largest pid the kernel hands out, plus some. */
function deadPid(): number {
  for (let pid = 4_194_304 + 17; ; pid++) {
    try {
      process.kill(pid, 0);
    } catch {
      return pid;
    }
  }
}

describe("atomic checkpoint writes", () => {
  it("remove temp files of dead processes on the next write to that path, and keep live ones and other files", () => {
    const dir = tempDir();
    const target = join(dir, "m.safetensors");
    const dead = tempName("m.safetensors", deadPid());
    // The test runner's parent is alive and is not this process (whose own temp name the write uses).
    const live = tempName("m.safetensors", process.ppid);
    const other = tempName("other.safetensors", deadPid());
    for (const f of [dead, live, other, ".m.safetensors.notapid.tmp"]) writeFileSync(join(dir, f), "partial");
    writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    expect(readdirSync(dir).sort()).toEqual([live, other, ".m.safetensors.notapid.tmp", "m.safetensors"].sort());
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    expect(removeStaleTemps(join(dir, "missing-dir", "x"))).toEqual([]);
  });

  it("a failed write removes its own temp file and leaves the previous file", () => {
    const dir = tempDir();
    const target = join(dir, "taken");
    mkdirSync(target);
    writeFileSync(join(target, "inside"), "keep");
    expect(() => writeFileAtomic(target, new Uint8Array(10))).toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
    expect(readFileSync(join(target, "inside"), "utf8")).toBe("keep");
  });

  it("kill -9 at any moment leaves the last good checkpoint loadable; the next run removes the dead temp file", async () => {
    const dir = tempDir();
    const data = join(dir, "d.txt");
    writeFileSync(data, kjvText().slice(0, 4000));
    const out = join(dir, "m.safetensors");
    // Tiny epochs (one step each) so the checkpoint is rewritten constantly while we kill.
    const args = ["train", "--data", data, "--hidden", "8", "--embedding", "4", "--seq-len", "64", "--batch-size", "60", "--epochs", "100000", "--sample-length", "0", "--val-split", "0", "--json", "--out", out];
    for (const delayMs of [150, 400, 700]) {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let saved = 0;
      child.stdout.on("data", (b: Buffer) => (saved += (b.toString().match(/"event":"checkpoint"/g) ?? []).length));
      await new Promise<void>((resolve) => {
        const fire = (): void => {
          if (saved >= 2) setTimeout(() => child.kill("SIGKILL"), delayMs % 97);
          else setTimeout(fire, 20);
        };
        fire();
        child.on("close", () => resolve());
      });
      expect(child.signalCode).toBe("SIGKILL");
      // Whatever the moment, the checkpoint is a whole file the library and the CLI read.
      const ckpt = rk.io.loadSafetensors(new Uint8Array(readFileSync(out)));
      expect(ckpt.metadata["format"]).toBe("rnnkit.charlm");
      expect(rnnkit(["info", out]).status).toBe(0);
    }
    // A temp file left by a killed writer (simulated for certainty) goes on the next write.
    const orphan = join(dir, tempName("m.safetensors", deadPid()));
    writeFileSync(orphan, "half a checkpoint");
    const step = (JSON.parse(rk.io.loadSafetensors(new Uint8Array(readFileSync(out))).metadata["train.progress"]!) as { globalStep: number }).globalStep;
    const resumed = spawnSync(process.execPath, [BIN, ...args.slice(0, -2), "--steps", String(step + 2), "--out", out, "--resume"], { encoding: "utf8", timeout: 60_000 });
    expect(resumed.stderr).toBe("");
    expect(resumed.status).toBe(0);
    expect(existsSync(orphan)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
