// Writes a CommonJS twin (X.d.cts) of every declaration file tsc emitted into dist/ (X.d.ts),
// with relative specifiers pointing at the .cjs twins, so `require` consumers get declarations
// that TypeScript reads as CommonJS (the .d.ts files are ESM in a "type": "module" package).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = join(process.cwd(), "dist");
let n = 0;
for (const name of readdirSync(dist, { recursive: true })) {
  const file = String(name);
  if (!file.endsWith(".d.ts")) continue;
  const text = readFileSync(join(dist, file), "utf8");
  const cjs = text.replace(/(["'])(\.\.?\/[^"']*?)\.js\1/g, "$1$2.cjs$1");
  writeFileSync(join(dist, file.replace(/\.d\.ts$/, ".d.cts")), cjs);
  n++;
}
if (n === 0) {
  console.error(`cjsTypes: no .d.ts files in ${dist}; run tsc first`);
  process.exit(1);
}
