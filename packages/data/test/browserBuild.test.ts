import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build, type Rollup } from "vite";
import { beforeAll, describe, expect, it } from "vitest";
import { runLoader, type LoaderCase, type LoaderRun } from "./browserBuild/entry.js";

interface Ints { data: number[] }
interface Fixture {
  loader: { seed: number; n: number; batchSize: number; dropLast: boolean; shuffle: boolean; length: number; epochs: Ints[][]; after: Ints }[];
  loaderDefault: { seed: number; n: number; batchSize: number; epochs: Ints[][]; after: Ints }[];
}

const fx = JSON.parse(readFileSync(new URL("./fixtures/data.json", import.meta.url), "utf8")) as Fixture;
const cases: { c: LoaderCase; torch: LoaderRun }[] = [
  ...fx.loader.map((f) => ({
    c: { seed: f.seed, n: f.n, batchSize: f.batchSize, shuffle: f.shuffle, dropLast: f.dropLast, epochs: f.epochs.length, defaultGenerator: false },
    torch: { length: f.length, epochs: f.epochs.map((e) => e.map((b) => b.data)), after: f.after.data },
  })),
  ...fx.loaderDefault.map((f) => ({
    c: { seed: f.seed, n: f.n, batchSize: f.batchSize, shuffle: true, dropLast: false, epochs: f.epochs.length, defaultGenerator: true },
    torch: { length: Math.ceil(f.n / f.batchSize), epochs: f.epochs.map((e) => e.map((b) => b.data)), after: f.after.data },
  })),
];

let browserRun: (c: LoaderCase) => LoaderRun;

beforeAll(async () => {
  // A browser build of the data stack (browser export conditions, one IIFE), run in a fresh
  // context that has no Node globals (no process, require, Buffer).
  const entry = fileURLToPath(new URL("./browserBuild/entry.ts", import.meta.url));
  const out = (await build({
    configFile: false,
    logLevel: "silent",
    resolve: { conditions: ["@rnnkit/source", "browser", "import"] },
    build: { write: false, minify: false, lib: { entry, formats: ["iife"], name: "rnnkitDataBrowser" } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const chunk = (Array.isArray(out) ? out[0]! : out).output.find((o): o is Rollup.OutputChunk => o.type === "chunk");
  const ctx = vm.createContext({ TextEncoder, TextDecoder, WebAssembly });
  vm.runInContext(chunk!.code, ctx);
  expect(vm.runInContext("typeof process + typeof require + typeof Buffer", ctx)).toBe("undefinedundefinedundefined");
  const bundle = vm.runInContext("rnnkitDataBrowser", ctx) as { runLoader: (c: LoaderCase) => LoaderRun };
  // Plain JSON across the context boundary, so arrays compare by value.
  browserRun = (c) => JSON.parse(JSON.stringify(bundle.runLoader(c))) as LoaderRun;
});

describe("DataLoader in a browser build", () => {
  it("gives the same batches, lengths and generator state as in Node and as torch", () => {
    expect(cases.length).toBeGreaterThan(10);
    for (const { c, torch } of cases) {
      const inBrowser = browserRun(c);
      expect(inBrowser).toEqual(runLoader(c));
      expect(inBrowser).toEqual(torch);
    }
  });
});
