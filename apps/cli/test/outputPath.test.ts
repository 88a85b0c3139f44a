import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { kjvText } from "@rnnkit/dataset-kjv";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, ensureBuilt, expectOneLineFailure, REPO, rnnkit, runInProcess, tempDir } from "./helpers.js";

beforeAll(ensureBuilt, 120_000);

const dir = tempDir();
const data = join(dir, "data.txt");
const csv = join(dir, "words.csv");
const TEXT = kjvText().slice(0, 1500);
const CSV = ["text,label", ...["aeiou", "eia", "oua", "iea", "uoe", "aie"].map((w) => `${w},vowels`), ...["bcd", "rst", "pqr", "xyz", "klm", "tbn"].map((w) => `${w},consonants`)].join("\n");
writeFileSync(data, TEXT);
writeFileSync(csv, CSV);
const aFile = join(dir, "plain-file");
writeFileSync(aFile, "x");
const aDir = join(dir, "existing-dir");
mkdirSync(aDir);
symlinkSync(data, join(dir, "link-to-data.txt"));
linkSync(data, join(dir, "hardlink-to-data.txt"));
symlinkSync(csv, join(dir, "link-to-words.csv"));

const TRAIN = ["train", "--data", data, "--hidden", "4", "--embedding", "2", "--seq-len", "8", "--steps", "2", "--sample-length", "0"];
const CLASSIFY = ["classify", "train", "--data", csv, "--hidden", "4", "--embedding", "2", "--epochs", "1", "--val-split", "0.2"];

/** [what, --out value, expected message] for both training commands. */
const BAD_OUT: [string, string, RegExp][] = [
  ["empty", "", /--out "" is empty; give a file path/],
  ["blank", "   ", /--out "   " is empty/],
  ["an existing directory", aDir, /--out ".*existing-dir" is a directory; give a file path/],
  ["a path ending in a slash", join(dir, "new-dir") + "/", /--out ".*new-dir\/" names a directory/],
  ["the current directory", ".", /--out "\." names a directory/],
  ["under a file", join(aFile, "model.safetensors"), /--out ".*plain-file\/model\.safetensors" is under .*plain-file, which is a file, not a directory|is under a file, not a directory/],
  ["deep under a file", join(aFile, "a", "b", "m.safetensors"), /is under .*plain-file, which is a file|is under a file/],
  ["a device", "/dev/null", /--out "\/dev\/null" exists and is not a regular file/],
  ["a name too long", join(dir, "x".repeat(300)), /has a file name too long/],
];

function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f !== "existing-dir" && !f.startsWith("ok")) out[f] = existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8").slice(0, 50) : "";
  return out;
}

describe("--out is checked before any work starts", () => {
  const before = snapshot();
  for (const [command, args, input] of [["train", TRAIN, data], ["classify train", CLASSIFY, csv]] as const) {
    it.each(BAD_OUT)(`${command}: --out %s`, async (_what, out, message) => {
      const r = await runInProcess([...args, "--out", out]);
      expectOneLineFailure(r, command, message);
      expect(r.stdout).toBe("");
      expect(snapshot()).toEqual(before);
      expect(readdirSync(aDir)).toEqual([]);
      expect(readFileSync(input, "utf8")).toBe(input === data ? TEXT : CSV);
    });

    it(`${command}: --out equal to --data (same path, relative path, symlink, hard link) is refused and the input kept`, async () => {
      const base = input === data ? "data.txt" : "words.csv";
      const aliases = [input, relative(REPO, input), join(dir, ".", base), join(dir, input === data ? "link-to-data.txt" : "link-to-words.csv")];
      if (input === data) aliases.push(join(dir, "hardlink-to-data.txt"));
      for (const out of aliases) {
        const r = await runInProcess([...args, "--out", out]);
        expectOneLineFailure(r, command, /is the --data file; writing it would overwrite the input/);
        expect(r.stderr).toContain("choose another --out path");
      }
      expect(readFileSync(input, "utf8")).toBe(input === data ? TEXT : CSV);
    });
  }

  it("a directory the process may not write is refused before training (as an unprivileged user)", () => {
    const locked = join(tempDir(), "locked");
    mkdirSync(locked);
    chmodSync(join(locked, ".."), 0o755);
    chmodSync(locked, 0o555);
    chmodSync(dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    for (const args of [TRAIN, CLASSIFY]) {
      const r = spawnSync(process.execPath, [BIN, ...args, "--out", join(locked, "m.safetensors")], {
        cwd: dir, encoding: "utf8", ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      });
      const command = args === TRAIN ? "train" : "classify train";
      expectOneLineFailure({ status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr }, command, /--out ".*locked\/m\.safetensors" cannot be written: .*locked: permission denied/);
      expect(r.stdout).toBe("");
      expect(readdirSync(locked)).toEqual([]);
    }
  });

  it("an --out in directories that do not exist yet is created when the checkpoint is written", () => {
    const out = join(dir, "ok", "nested", "m.safetensors");
    const r = rnnkit([...TRAIN, "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, "ok", "nested"))).toEqual(["m.safetensors"]);
    const c = rnnkit([...CLASSIFY, "--out", join(dir, "ok", "c.safetensors")]);
    expect(c.stderr).toBe("");
    expect(c.status).toBe(0);
  });
});
