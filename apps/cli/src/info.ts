import * as rk from "rnnkit";
import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { readBytes, safetensorsProblem } from "./checkpoint.js";
import { CHARLM_FORMAT, CLASSIFIER_FORMAT, isTrainingStateKey, META } from "./checkpointFormat.js";
import { CliError, describeSystemError } from "./errors.js";
import { loadCharLM, loadClassifier } from "./loadModel.js";
import { table } from "./table.js";

const OP = "rnnkit info";

/** Files up to this size are read whole, so `info` also makes the library's checks of the values. */
export const INFO_FULL_READ_BYTES = 1 << 30;

/** The header prefix (`8 + header length` bytes, at most what the library accepts) and the file size. */
function readPrefix(path: string): { prefix: Uint8Array; size: number } {
  let fd: number;
  try {
    // Checked before opening: opening a FIFO or a terminal would wait for a writer.
    if (!statSync(path).isFile()) throw new CliError(`${OP}: model ${path} is not a regular file`);
    fd = openSync(path, "r");
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new CliError(`${OP}: cannot read model ${path}: ${code === "ENOENT" ? "no such file" : describeSystemError(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new CliError(`${OP}: model ${path} is not a regular file`);
    if (st.size === 0) throw new CliError(`${OP}: model ${path} is empty`);
    const head = new Uint8Array(Math.min(8, st.size));
    readSync(fd, head, 0, head.length, 0);
    let want = head.length;
    if (head.length === 8) {
      const n = new DataView(head.buffer).getUint32(0, true) + new DataView(head.buffer).getUint32(4, true) * 2 ** 32;
      want = Math.min(st.size, 8 + Math.min(n, 100_000_001));
    }
    const prefix = new Uint8Array(want);
    readSync(fd, prefix, 0, want, 0);
    return { prefix, size: st.size };
  } finally {
    closeSync(fd);
  }
}

/** Whether `sample`/`eval` (or `classify predict`) would load the file, and why not. */
function usability(path: string, format: string | undefined): string | null {
  const loader = format === CHARLM_FORMAT ? loadCharLM : format === CLASSIFIER_FORMAT ? loadClassifier : null;
  if (loader === null) return null;
  const users = format === CHARLM_FORMAT ? "rnnkit sample and eval" : "rnnkit classify predict";
  try {
    loader(path, OP);
    return `${users}: usable`;
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return `${users}: refused: ${e.message.replace(`${OP}: `, "").replace(`${path}: `, "")}`;
  }
}

/**
 * `rnnkit info MODEL`: configuration, vocabulary size, parameter count and the tensor table of
 * any safetensors file (rnnkit checkpoints, or a PyTorch `save_file` output), read with the
 * library's own header reader, so it describes exactly what `rk.io.loadSafetensors` loads and
 * refuses what it refuses (files up to 1 GiB are also decoded whole for the value checks).
 */
export function infoCommand(path: string): void {
  const { prefix, size } = readPrefix(path);
  let h: rk.io.SafetensorsHeader;
  try {
    h = rk.io.readSafetensorsHeader(prefix, size);
    if (size <= INFO_FULL_READ_BYTES) rk.io.loadSafetensors(readBytes(path, OP, "model"));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${OP}: ${path} is not a readable safetensors file: ${safetensorsProblem(e)}`);
  }
  const out: string[] = [];
  const meta = h.metadata;
  out.push(`file: ${path} (${size.toLocaleString("en-US")} bytes${size > INFO_FULL_READ_BYTES ? "; header checked, tensor values not read" : ""})`);
  out.push(`format: ${meta[META.format] ?? "safetensors (no rnnkit metadata)"}`);
  if (meta[META.config] !== undefined) out.push(`config: ${truncate(meta[META.config] ?? "", 300)}`);
  const vocab = jsonArrayLength(meta[META.vocab]);
  if (vocab !== null) out.push(`vocabulary size: ${vocab}`);
  const labels = jsonArrayLength(meta[META.labels]);
  if (labels !== null) out.push(`labels: ${labels}`);
  if (meta[META.summary] !== undefined) out.push(`training: ${truncate(meta[META.summary] ?? "", 300)}`);
  const known = Object.values(META) as string[];
  for (const k of Object.keys(meta).filter((k) => !known.includes(k) && !k.startsWith("train."))) out.push(`metadata ${k}: ${truncate(meta[k] ?? "", 200)}`);
  const usable = size <= INFO_FULL_READ_BYTES ? usability(path, meta[META.format]) : null;
  if (usable !== null) out.push(usable);
  const tensors = [...h.tensors].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0]);
  const params = tensors.filter((t) => !isTrainingStateKey(t.name));
  const count = params.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  out.push(`parameters: ${count.toLocaleString("en-US")} in ${params.length} tensors`);
  const state = tensors.length - params.length;
  if (state > 0) out.push(`training state: ${state} tensors (optimizer and recurrent state, for --resume)`);
  out.push("");
  const rows = [["name", "dtype", "shape", "elements", "read as"]];
  for (const t of params) rows.push([t.name, t.dtype, `[${t.shape.join(", ")}]`, String(t.shape.reduce((a, b) => a * b, 1)), t.readAs]);
  out.push(table(rows));
  process.stdout.write(`${out.join("\n")}\n`);
}

/** The length of a JSON array in a metadata string, or null when it is not one. */
function jsonArrayLength(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.length : null;
  } catch {
    return null;
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
