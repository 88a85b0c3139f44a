/**
 * An error meant for the user: printed as one line `rnnkit <command>: <message>` (the message
 * may carry the prefix itself), then `hint` on a second line when given, and exit `exitCode`.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1, readonly hint?: string) {
    super(message);
    this.name = "CliError";
  }
}

/** Exit code after Ctrl-C, as shells report a process ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;

const ERRNO_TEXT: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EISDIR: "is a directory",
  ENOTDIR: "a component of the path is not a directory",
  ENOENT: "no such file or directory",
  EEXIST: "already exists",
  ENAMETOOLONG: "file name too long",
  EMFILE: "too many open files",
  EIO: "input/output error",
  ELOOP: "too many symbolic links",
};

/** A Node system error (`EACCES`, …) as a short phrase with its path, or null for other errors. */
export function describeSystemError(e: unknown): string | null {
  const se = e as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof se?.code !== "string" || !/^E[A-Z]+$/.test(se.code)) return null;
  const what = ERRNO_TEXT[se.code] ?? se.code;
  const path = typeof se.path === "string" ? `${se.path}: ` : "";
  const call = typeof se.syscall === "string" ? ` (${se.syscall})` : "";
  return `${path}${what}${call}`;
}

/** The first line of an error's message, for the one-line report. */
export function oneLine(message: string): string {
  const line = message.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return line.trim();
}
