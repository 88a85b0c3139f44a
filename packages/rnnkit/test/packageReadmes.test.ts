import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

// Every package README's first TypeScript example must run as shown: it is copied into a
// module beside the package and imported, and what it prints is checked.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const made: string[] = [];

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function firstExample(readme: string): string {
  const m = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error("README has no ```ts example");
  return m[1]!;
}

async function runExample(pkg: string): Promise<string[]> {
  const code = firstExample(readFileSync(`${root}packages/${pkg}/README.md`, "utf8"));
  const dir = `${root}packages/${pkg}/src/.readme-example`;
  mkdirSync(dir, { recursive: true });
  made.push(dir);
  const file = `${dir}/example.ts`;
  writeFileSync(file, code);
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  });
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe("package README examples run as shown", () => {
  it("@rnnkit/tensor", async () => {
    const out = await runExample("tensor");
    expect(out).toEqual([
      "[[1,4],[2,5],[3,6]]",
      "[[11,22,33],[14,25,36]]",
      "[[14,32],[32,77]]",
      "0.4963",
      "[2,3]",
    ]);
  });
  it("@rnnkit/autograd", async () => {
    const out = await runExample("autograd");
    expect(out).toEqual(["[[2,4],[6,8]]", "false", "true", "[3,2]"]);
  });
  it("@rnnkit/nn", async () => {
    const out = await runExample("nn");
    expect(out).toEqual([
      "[2,3] weight_ih_l0 [64,8]",
      '["weight_ih_l0","weight_hh_l0","bias_ih_l0","bias_hh_l0"]',
      "[2,5,32]",
    ]);
  });
  it("@rnnkit/data", async () => {
    expect(await runExample("data")).toEqual(["[4,7] [7,5,4,3] [1,1,0,0]", "[4,6] [6,5,3,3] [1,1,0,0]", "[16,32] true", "to be"]);
  });
  it("@rnnkit/dataset-kjv", async () => {
    expect(await runExample("dataset-kjv")).toEqual(["73 9865", "[16,64] [16,64]"]);
  });
  it("@rnnkit/dataset-word-origin", async () => {
    expect(await runExample("dataset-word-origin")).toEqual(["dutch buslijn", "[32,12] [32] [32]", "58"]);
  });
});
