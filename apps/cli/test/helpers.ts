import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = resolve(CLI_DIR, "..", "..");
export const BIN = join(CLI_DIR, "dist", "cli.js");
const LOCK = join(CLI_DIR, ".build-lock");

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function sourcesMtime(): number {
  const dirs = [join(CLI_DIR, "src"), join(CLI_DIR, "tsup.config.ts")];
  for (const pkg of readdirSync(join(REPO, "packages"))) {
    dirs.push(join(REPO, "packages", pkg, "src"), join(REPO, "packages", pkg, "datasets"));
  }
  return Math.max(...dirs.map((d) => (existsSync(d) && statSync(d).isFile() ? statSync(d).mtimeMs : newestMtime(d))));
}

function isFresh(): boolean {
  return existsSync(BIN) && statSync(BIN).mtimeMs >= sourcesMtime();
}

/**
 * Builds apps/cli/dist/cli.js, and the packages it imports, when it is missing or older than any
 * source it depends on. Test files run in parallel, so one builds under a lock directory while
 * the others wait for it.
 */
export async function ensureBuilt(): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!isFresh()) {
    try {
      mkdirSync(LOCK);
    } catch {
      if (Date.now() > deadline) throw new Error("ensureBuilt: timed out waiting for another test file's build");
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 290_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!isFresh()) {
        // Build beside dist and rename, so a test running the old binary never reads half a file.
        // The command imports the packages' dist (they are its dependencies): build those first.
        const deps = spawnSync(join(REPO, "node_modules", ".bin", "turbo"), ["run", "build", "--filter=@rnnkit/cli^...", "--output-logs=errors-only"], {
          cwd: REPO, encoding: "utf8", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
        });
        if (deps.status !== 0) throw new Error(`building the CLI's packages failed:\n${deps.stdout}\n${deps.stderr}`);
        const tmp = join(CLI_DIR, ".dist-build");
        rmSync(tmp, { recursive: true, force: true });
        const r = spawnSync(join(REPO, "node_modules", ".bin", "tsup"), ["--out-dir", tmp], { cwd: CLI_DIR, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`building the CLI failed:\n${r.stdout}\n${r.stderr}`);
        mkdirSync(dirname(BIN), { recursive: true });
        renameSync(join(tmp, "cli.js.map"), `${BIN}.map`);
        renameSync(join(tmp, "cli.js"), BIN);
        rmSync(tmp, { recursive: true, force: true });
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/** Runs the built `rnnkit` with `args` and waits for it. */
export function rnnkit(args: string[], opts: { cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" }, maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs the built `rnnkit` without waiting: for signal tests. */
export function rnnkitAsync(args: string[], opts: { cwd?: string } = {}): ReturnType<typeof spawn> {
  return spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, FORCE_COLOR: "0" } });
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "rnnkit-cli-"));
}

/** The JSON objects of a `--json` run's stdout. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What a command run in-process printed and returned. */
export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `rnnkit args` in this process through `main` (the same boundary the binary uses),
 * capturing stdout and stderr: fast enough to feed hundreds of inputs.
 */
export async function runInProcess(args: string[]): Promise<RunResult> {
  const { main } = await import("../src/program.js");
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const status = await main(["node", "rnnkit", ...args]);
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/**
 * Asserts the shape of every failure: a non-zero exit, stderr of one line
 * `rnnkit <command>: <what>` plus at most one hint line, and no stack frame.
 */
export function expectOneLineFailure(r: RunResult, command: string, message?: RegExp | string): void {
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  const context = `stderr: ${JSON.stringify(r.stderr)}`;
  if (r.status === 0 || lines.length < 1 || lines.length > 2 || !lines[0]!.startsWith(`rnnkit ${command}: `) || /^\s+at /m.test(r.stderr)) {
    throw new Error(`expected a one-line "rnnkit ${command}: ..." failure with a non-zero exit, got status ${r.status}; ${context}`);
  }
  if (message !== undefined && !(typeof message === "string" ? lines[0]!.includes(message) : message.test(lines[0]!))) {
    throw new Error(`expected the message to match ${String(message)}; ${context}`);
  }
}
