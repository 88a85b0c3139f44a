// The embedded module must be the one asm/*.ts compiles to: a kernel edit without
// `pnpm --filter @rnnkit/tensor build:wasm` would otherwise test (and ship) stale code.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

it("src/wasm/kernels.wasm.ts is the compiled asm/ sources", () => {
  const r = spawnSync(process.execPath, [join(root, "scripts", "buildWasm.mjs"), "--check"], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.stdout).toContain("up to date");
  expect(r.status).toBe(0);
});
