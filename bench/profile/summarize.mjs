// Summarizes a .cpuprofile by function: self and inclusive (total) time, top N by self time.
// argv = <file.cpuprofile> [N]. Names are "function file:line:col" of the compiled source.
import { readFileSync } from "node:fs";
const [file, nArg] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n) => {
  const cf = n.callFrame;
  return `${cf.functionName || "(anon)"} ${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`;
};
const self = new Map();
const total = new Map();
let sum = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const dt = prof.timeDeltas[i] ?? 0;
  sum += dt;
  let id = prof.samples[i];
  const k0 = keyOf(byId.get(id));
  self.set(k0, (self.get(k0) ?? 0) + dt);
  const seen = new Set();
  while (id !== undefined) {
    const k = keyOf(byId.get(id));
    if (!seen.has(k)) {
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + dt);
    }
    id = parent.get(id);
  }
}
const pct = (v) => `${((100 * v) / sum).toFixed(1).padStart(5)}%`;
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg ?? 30));
console.log("  self   total  function");
for (const [k, v] of rows) console.log(`${pct(v)} ${pct(total.get(k) ?? 0)}  ${k}`);
