// prepack guard: refuses to pack a package whose build output is missing, so `pnpm pack` /
// `changeset publish` never ship a tarball without dist/. (Existence, not mtimes: git checkouts
// and turbo's cache restores move mtimes both ways; `pnpm release` builds right before.)
// Checks every file the published package.json points at (exports, main, module, types, bin).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const published = { ...pkg, ...(pkg.publishConfig ?? {}) };

/** Every string leaf of an exports map / bin field. */
function targets(value) {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(targets);
  return [];
}

const files = [published.exports, published.main, published.module, published.types, published.bin]
  .flatMap(targets)
  .filter((f) => f.startsWith("./dist/") || f.startsWith("dist/"));
const problems = [];
for (const f of new Set(files)) {
  const p = join(dir, f);
  if (!existsSync(p)) problems.push(`${f} is missing`);
}
if (files.length === 0) problems.push("package.json points at no dist/ file");
if (problems.length > 0) {
  console.error(`\n${pkg.name}: refusing to pack an unbuilt package:\n  ${problems.join("\n  ")}\nRun \`pnpm build\` at the repository root first.\n`);
  process.exit(1);
}
