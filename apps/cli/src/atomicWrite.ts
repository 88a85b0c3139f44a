import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** `.NAME.PID.tmp`: the temp file name a process writes `NAME` through. */
export function tempName(name: string, pid = process.pid): string {
  return `.${name}.${pid}.tmp`;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: unknown }).code === "EPERM";
  }
}

/**
 * Removes temp files of `path` left by processes that died mid-write (`kill -9`, power loss):
 * `.NAME.PID.tmp` (or `.probe`) whose PID is no longer running. Returns the names removed.
 */
export function removeStaleTemps(path: string): string[] {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const prefix = `.${name}.`;
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^(\d+)\.(tmp|probe)$/.exec(entry.slice(prefix.length));
    if (!m || isAlive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, entry), { force: true });
      removed.push(entry);
    } catch {
      // Not ours to remove (permissions): leave it.
    }
  }
  return removed;
}

/**
 * Writes `bytes` to `path` so readers see the old file or the new one, never half of one:
 * a temp file in the same directory, fsync, then rename over the target. Temp files of dead
 * processes are removed first; a failed write removes its own temp file.
 * @example writeFileAtomic("runs/charlm.safetensors", bytes)
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(path);
  const tmp = join(dir, tempName(basename(path)));
  let fd: number | null = openSync(tmp, "w");
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  // The rename itself is durable once the directory entry is flushed.
  try {
    const dfd = openSync(dir, "r");
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    // Some platforms cannot open a directory for fsync; the rename is still atomic there.
  }
}
