import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crc32 } from "../src/crc32.js";
import { readZipStore, zipStore } from "../src/zip.js";

const hasUnzip = spawnSync("unzip", ["-v"]).status === 0;

describe("crc32", () => {
  it("gives the standard check values", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new TextEncoder().encode("The quick brown fox jumps over the lazy dog"))).toBe(0x414fa339);
  });
});

describe("zipStore", () => {
  const files = {
    "project/README.md": "# hello\n",
    "project/data/täxt ☃.txt": "snow \u{1F600}\n",
    "project/init.safetensors": Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255),
    "project/empty.py": "",
  };

  it("reads back every entry byte for byte", () => {
    const back = readZipStore(zipStore(files));
    expect(Object.keys(back)).toEqual(Object.keys(files));
    for (const [name, content] of Object.entries(files)) {
      const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
      expect(Array.from(back[name]!)).toEqual(Array.from(bytes));
    }
  });

  it("is deterministic and detects a corrupted byte", () => {
    const a = zipStore(files);
    expect(Array.from(zipStore(files))).toEqual(Array.from(a));
    const bad = a.slice();
    const at = 30 + "project/README.md".length + 2; // inside README.md's data, after its local header
    bad[at] = bad[at]! ^ 1;
    expect(() => readZipStore(bad)).toThrow(/project\/README.md fails its CRC-32 check/);
    expect(() => readZipStore(a.subarray(0, a.length - 3))).toThrow(/no end-of-central-directory/);
  });

  it("refuses names that would escape the folder", () => {
    expect(() => zipStore({ "../x": "a" })).toThrow(/relative path without ".."/);
    expect(() => zipStore({ "/etc/x": "a" })).toThrow(/relative path/);
  });

  it.skipIf(!hasUnzip)("passes unzip -t", () => {
    const dir = mkdtempSync(join(tmpdir(), "rnnkit-zip-"));
    const path = join(dir, "p.zip");
    writeFileSync(path, zipStore(files));
    const r = spawnSync("unzip", ["-t", path], { encoding: "utf8" });
    expect(r.stdout).toContain("No errors detected");
    expect(r.status).toBe(0);
  });
});
