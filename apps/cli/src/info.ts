import { parseHeader, readBytes } from "./safetensorsHeader.js";
import { isTrainingStateKey, META } from "./checkpointFormat.js";

/** A fixed-width text table (first row is the header). */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const [head, ...body] = rows;
  return [line(head ?? []), rule, ...body.map(line)].join("\n");
}

/**
 * `rnnkit info MODEL`: configuration, vocabulary size, parameter count and the tensor table of
 * any safetensors file (rnnkit checkpoints, or a PyTorch `save_file` output).
 */
export function infoCommand(path: string): void {
  const op = "rnnkit info";
  const h = parseHeader(readBytes(path, op, "model"), path, op);
  const out: string[] = [];
  out.push(`file: ${path}`);
  out.push(`format: ${h.metadata[META.format] ?? "safetensors (no rnnkit metadata)"}`);
  const cfg = h.metadata[META.config];
  if (cfg !== undefined) out.push(`config: ${cfg}`);
  const vocab = h.metadata[META.vocab];
  if (vocab !== undefined) {
    const v = JSON.parse(vocab) as string[];
    out.push(`vocabulary size: ${v.length}`);
  }
  const summary = h.metadata[META.summary];
  if (summary !== undefined) out.push(`training: ${summary}`);
  const others = Object.keys(h.metadata).filter((k) => !(Object.values(META) as string[]).includes(k) && !k.startsWith("train."));
  for (const k of others) out.push(`metadata ${k}: ${truncate(h.metadata[k] ?? "", 200)}`);
  const params = h.tensors.filter(([name]) => !isTrainingStateKey(name));
  const count = params.reduce((n, [, e]) => n + e.shape.reduce((a, b) => a * b, 1), 0);
  out.push(`parameters: ${count.toLocaleString("en-US")} in ${params.length} tensors`);
  const state = h.tensors.length - params.length;
  if (state > 0) out.push(`training state: ${state} tensors (optimizer and recurrent state, for --resume)`);
  out.push("");
  const rows = [["name", "dtype", "shape", "elements"]];
  for (const [name, e] of params) {
    rows.push([name, e.dtype, `[${e.shape.join(", ")}]`, String(e.shape.reduce((a, b) => a * b, 1))]);
  }
  out.push(table(rows));
  process.stdout.write(`${out.join("\n")}\n`);
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
