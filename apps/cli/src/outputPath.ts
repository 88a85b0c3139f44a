import { closeSync, openSync, rmSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { CliError, describeSystemError } from "./errors.js";
import { tempName } from "./atomicWrite.js";

/** An input file of the command, which an output must never overwrite. */
export interface InputFile {
  flag: string;
  path: string;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT") return null;
    if (code === "ENOTDIR") throw new OutputPathProblem("is under a file, not a directory");
    throw new OutputPathProblem(describeSystemError(e) ?? (e as Error).message);
  }
}

class OutputPathProblem extends Error {}

/**
 * Checks, before any work starts, that the command can later write `path` (given as `flag`):
 * not empty, not a directory, not under a file, not one of `inputs`, and its directory (or
 * the nearest existing parent, when directories are still to be created) is writable — tested
 * by creating and removing a file there, so read-only mounts and permissions are caught too.
 * Throws a CliError naming the flag and the path.
 * @example checkOutputPath("rnnkit train", "--out", "runs/m.safetensors", [{ flag: "--data", path: "a.txt" }])
 */
export function checkOutputPath(op: string, flag: string, path: string, inputs: readonly InputFile[] = []): void {
  const fail = (what: string, hint?: string): never => {
    throw new CliError(`${op}: ${flag} ${JSON.stringify(path)} ${what}`, 1, hint);
  };
  if (path.trim() === "") fail("is empty; give a file path");
  if (/[/\\]$/.test(path) || basename(path) === "." || basename(path) === "..") fail("names a directory; give a file path", `e.g. ${flag} ${join(path, "model.safetensors")}`);
  if (Buffer.byteLength(basename(path)) > 200) fail("has a file name too long to write (over 200 bytes)");
  try {
    const target = statOrNull(path);
    if (target?.isDirectory()) fail("is a directory; give a file path", `e.g. ${flag} ${join(path, "model.safetensors")}`);
    if (target && !target.isFile()) fail("exists and is not a regular file");
    for (const input of inputs) {
      const other = statOrNull(input.path);
      const same = target !== null && other !== null ? target.dev === other.dev && target.ino === other.ino : resolve(path) === resolve(input.path);
      if (same) fail(`is the ${input.flag} file; writing it would overwrite the input`, `choose another ${flag} path`);
    }
    let dir = dirname(resolve(path));
    for (;;) {
      const st = statOrNull(dir);
      if (st === null) {
        const up = dirname(dir);
        if (up === dir) fail("cannot be created: no existing parent directory");
        dir = up;
        continue;
      }
      if (!st.isDirectory()) fail(`is under ${dir}, which is a file, not a directory`);
      break;
    }
    // The real test: create a file where the checkpoint's temporary file will go.
    const probe = join(dir, tempName(basename(path)).replace(/\.tmp$/, ".probe"));
    let fd: number;
    try {
      fd = openSync(probe, "wx");
    } catch (e) {
      return fail(`cannot be written: ${describeSystemError(e)?.replace(`${probe}: `, `${dir}: `) ?? (e as Error).message}`);
    }
    closeSync(fd);
    rmSync(probe, { force: true });
  } catch (e) {
    if (e instanceof OutputPathProblem) fail(e.message);
    throw e;
  }
}
