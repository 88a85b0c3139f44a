import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";
import { build as viteBuild } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../../apps/cli/test/helpers.js";

// What a user gets from npm: every publishable package is packed (pnpm pack, so the published
// package.json is the one checked), the tarballs are npm-installed into an empty project outside
// the workspace, and the project uses them as a user would: the README example as ESM and as
// CommonJS, type-checked under nodenext and bundler, bundled for the browser, and the CLI run.

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
/** Text found only in the corpora: neither may reach a bundle that does not import them. */
const CORPUS_MARKERS = ["In the beginning God created", "afrokapsels", "aandrift"];

interface Publishable {
  dir: string;
  name: string;
  tarball?: string;
}

function publishable(): Publishable[] {
  const out: Publishable[] = [];
  for (const group of ["packages", "apps"]) {
    for (const d of readdirSync(join(REPO, group))) {
      const dir = join(REPO, group, d);
      let pkg: { name: string; private?: boolean };
      try {
        pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      } catch {
        continue;
      }
      if (!pkg.private) out.push({ dir, name: pkg.name });
    }
  }
  return out;
}

/** pnpm as the test was started with it (`pnpm test` sets npm_execpath), else from PATH. */
function pnpm(args: string[], cwd: string): string {
  const exec = process.env.npm_execpath;
  // pnpm 12 is a native executable; older ones are a JavaScript file run by node.
  const [cmd, pre] = !exec || !/pnpm/.test(exec) ? ["pnpm", []] : /\.[cm]?js$/.test(exec) ? [process.execPath, [exec]] : [exec, []];
  return ok(run(cmd, [...pre, ...args], cwd), `pnpm ${args.join(" ")} in ${cwd}`);
}

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", NODE_OPTIONS: "" }, maxBuffer: 64 * 1024 * 1024 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The first ```ts block of the root README: the example users copy. */
function readmeExample(): string {
  const m = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(REPO, "README.md"), "utf8"));
  if (!m) throw new Error("README.md has no ```ts example");
  return m[1]!;
}

let root = "";
let project = "";
const packages = publishable();

beforeAll(async () => {
  // Builds every package the CLI imports (all of them) and the CLI, when stale.
  await ensureBuilt();
  root = mkdtempSync(join(tmpdir(), "rnnkit-consumer-"));
  const packs = join(root, "packs");
  mkdirSync(packs);
  for (const p of packages) {
    const before = new Set(readdirSync(packs));
    pnpm(["pack", "--pack-destination", packs], p.dir);
    const added = readdirSync(packs).filter((f) => !before.has(f));
    if (added.length !== 1) throw new Error(`pnpm pack in ${p.dir} wrote ${added.join(", ") || "nothing"}`);
    p.tarball = join(packs, added[0]!);
  }
  project = join(root, "app");
  mkdirSync(project);
  // The rnnkit packages come from the tarballs only: overrides pin every transitive use too.
  const deps = Object.fromEntries(packages.map((p) => [p.name, `file:${p.tarball}`]));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: deps, overrides: deps }, null, 2));
  ok(run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], project), "npm install of the tarballs");
}, 600_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("packed tarballs", () => {
  it("hold built files, README, LICENSE and no sources or tests", () => {
    for (const p of packages) {
      const files = execFileSync("tar", ["tzf", p.tarball!], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, ""));
      expect(files, p.name).toContain("LICENSE");
      expect(files, p.name).toContain("README.md");
      expect(files.some((f) => f.startsWith("dist/")), p.name).toBe(true);
      expect(files.filter((f) => /^(src|test)\/|\.test\.|fixtures\//.test(f)), p.name).toEqual([]);
      const pkg = JSON.parse(execFileSync("tar", ["xzOf", p.tarball!, "package/package.json"], { encoding: "utf8" }));
      expect(JSON.stringify(pkg.exports ?? {}), p.name).not.toContain("@rnnkit/source");
      expect(JSON.stringify(pkg.dependencies ?? {}), p.name).not.toContain("workspace:");
      expect(pkg.engines?.node, p.name).toBe(">=20");
      expect(pkg.repository?.url, p.name).toMatch(/^git\+https:/);
      for (const m of files.filter((f) => f.endsWith(".map"))) {
        const map = JSON.parse(execFileSync("tar", ["xzOf", p.tarball!, `package/${m}`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }));
        expect(map.sourcesContent, `${p.name} ${m}`).toBeUndefined();
      }
    }
  }, 120_000);
});

describe("the README example", () => {
  it("runs as ESM and as CommonJS", () => {
    const esm = readmeExample();
    expect(esm).toContain('import * as rk from "rnnkit";');
    writeFileSync(join(project, "readme.mjs"), esm);
    writeFileSync(join(project, "readme.cjs"), esm.replace('import * as rk from "rnnkit";', 'const rk = require("rnnkit");'));
    for (const file of ["readme.mjs", "readme.cjs"]) {
      const lines = ok(run(process.execPath, [file], project), file).trim().split("\n");
      expect(lines, file).toHaveLength(15);
      expect(lines[14], file).toMatch(/^Predicted: ohlol, Epoch \[15\/15\] loss=0\.\d{4}$/);
    }
  }, 120_000);

  it("type-checks under nodenext (ESM and CommonJS) and bundler, strict, skipLibCheck false", () => {
    const typed = [
      "",
      "// Namespaced classes are values and types; subclassing a module is typed.",
      "class Net extends rk.nn.Module {",
      "  readonly lstm: rk.nn.LSTM = new rk.nn.LSTM(4, 8, { numLayers: 2 });",
      "  readonly head: rk.nn.Linear = new rk.nn.Linear(8, 2);",
      "  forward(x: rk.Tensor): rk.Tensor {",
      "    const [out] = this.lstm.forward(x);",
      "    return this.head.forward(out);",
      "  }",
      "}",
      "const net = new Net();",
      "const adam: rk.optim.Adam = new rk.optim.Adam(net.parameters(), { lr: 1e-3 });",
      "const loader: rk.data.DataLoader<[rk.Tensor, rk.Tensor]> = new rk.data.DataLoader(new rk.data.TensorDataset(rk.randn([6, 5, 4]), rk.randn([6, 5, 2])), { batchSize: 2 });",
      "const step: rk.optim.lrScheduler.StepLR = new rk.optim.lrScheduler.StepLR(adam, 1);",
      "const ce: rk.Tensor = rk.F.crossEntropy(rk.randn([3, 4]), rk.tensor([0, 1, 3], { dtype: \"int32\" }));",
      "const text: string = kjvText();",
      "const words: WordOriginDataset = wordOrigin({ split: \"test\" });",
      "const cell: LSTMCell = new LSTMCell(2, 3);",
      "export { net, loader, step, ce, text, words, cell, Tensor, NDArray, CharVocab, clipGradNorm };",
    ].join("\n");
    const imports = [
      'import { kjvText } from "@rnnkit/dataset-kjv";',
      'import { wordOrigin, WordOriginDataset } from "@rnnkit/dataset-word-origin";',
      'import { LSTMCell } from "@rnnkit/nn";',
      'import { Tensor } from "@rnnkit/autograd";',
      'import { NDArray } from "@rnnkit/tensor";',
      'import { CharVocab } from "@rnnkit/data";',
      'import { clipGradNorm } from "@rnnkit/optim";',
    ].join("\n");
    const esm = `${readmeExample()}${imports}\n${typed}\n`;
    writeFileSync(join(project, "example.ts"), esm);
    writeFileSync(join(project, "example.cts"), esm.replace('import * as rk from "rnnkit";', 'import rk = require("rnnkit");'));
    const common = { strict: true, skipLibCheck: false, noEmit: true, target: "es2022", lib: ["es2022", "dom"], types: [] };
    const configs = {
      "tsconfig.nodenext.json": { compilerOptions: { ...common, module: "nodenext", moduleResolution: "nodenext" }, files: ["example.ts", "example.cts"] },
      "tsconfig.bundler.json": { compilerOptions: { ...common, module: "esnext", moduleResolution: "bundler" }, files: ["example.ts"] },
    };
    for (const [name, config] of Object.entries(configs)) {
      writeFileSync(join(project, name), JSON.stringify(config, null, 2));
      const r = run(process.execPath, [TSC, "-p", name], project);
      expect(`${r.stdout}${r.stderr}`, name).toBe("");
      expect(r.status, name).toBe(0);
    }
  }, 300_000);
});

describe("bundling for the browser", () => {
  const pages = {
    umbrella: 'import * as rk from "rnnkit";\nconst lstm = new rk.nn.LSTM(10, 32);\nconst [out] = lstm.forward(rk.randn([5, 1, 10]));\nconsole.log(out.shape);\n',
    direct: 'import { LSTM } from "@rnnkit/nn";\nimport { randn } from "@rnnkit/autograd";\nconst lstm = new LSTM(10, 32);\nconst [out] = lstm.forward(randn([5, 1, 10]));\nconsole.log(out.shape);\n',
  };
  const sizes: Record<string, number> = {};

  it("esbuild: the LSTM page through rnnkit holds no corpus and is within 10 % of the direct page", async () => {
    for (const [name, code] of Object.entries(pages)) {
      writeFileSync(join(project, `page-${name}.js`), code);
      const r = await esbuild({ entryPoints: [join(project, `page-${name}.js`)], bundle: true, minify: true, format: "esm", platform: "browser", write: false, absWorkingDir: project, logLevel: "silent" });
      const js = r.outputFiles[0]!.text;
      for (const marker of CORPUS_MARKERS) expect(js.includes(marker), `${name}: ${marker}`).toBe(false);
      sizes[`esbuild-${name}`] = Buffer.byteLength(js);
    }
    console.log(`LSTM page, esbuild --minify: rnnkit ${sizes["esbuild-umbrella"]} B, @rnnkit/nn + @rnnkit/autograd ${sizes["esbuild-direct"]} B`);
    // esbuild keeps a whole namespace object once `rk.nn` is read (rk.nn = all of @rnnkit/nn
    // plus the loss classes of @rnnkit/optim), so the umbrella page carries the rest of nn; the
    // loss classes come alone because @rnnkit/optim's ESM is one module per file.
    expect(sizes["esbuild-umbrella"]!).toBeLessThanOrEqual(sizes["esbuild-direct"]! * 1.1);
  }, 300_000);

  it("Vite: the LSTM page through rnnkit is within 10 % of the direct page", async () => {
    for (const name of Object.keys(pages)) {
      const outDir = join(project, `vite-${name}`);
      await viteBuild({
        configFile: false, logLevel: "silent", root: project,
        build: { outDir, minify: true, emptyOutDir: true, lib: { entry: join(project, `page-${name}.js`), formats: ["es"], fileName: "page" } },
      });
      const js = readdirSync(outDir).filter((f) => f.endsWith("js")).map((f) => readFileSync(join(outDir, f), "utf8")).join("");
      for (const marker of CORPUS_MARKERS) expect(js.includes(marker), `${name}: ${marker}`).toBe(false);
      sizes[`vite-${name}`] = Buffer.byteLength(js);
    }
    console.log(`LSTM page, vite build: rnnkit ${sizes["vite-umbrella"]} B, @rnnkit/nn + @rnnkit/autograd ${sizes["vite-direct"]} B`);
    expect(sizes["vite-umbrella"]!).toBeLessThanOrEqual(sizes["vite-direct"]! * 1.1);
  }, 300_000);
});

describe("the installed CLI", () => {
  it("rnnkit --version and rnnkit tutorial run from the tarball", () => {
    const bin = join(project, "node_modules", ".bin", "rnnkit");
    const version = JSON.parse(readFileSync(join(project, "node_modules", "@rnnkit", "cli", "package.json"), "utf8")).version as string;
    expect(ok(run(bin, ["--version"], project), "rnnkit --version").trim()).toBe(version);
    const out = ok(run(bin, ["tutorial"], project), "rnnkit tutorial");
    expect(out).toMatch(/Predicted: ohlol, Epoch \[15\/15\] loss=/);
    // The command resolves rnnkit from the installed packages, not a copy bundled into it.
    expect(readFileSync(join(project, "node_modules", "@rnnkit", "cli", "dist", "cli.js"), "utf8")).toMatch(/from ["']rnnkit["']/);
  }, 120_000);
});
