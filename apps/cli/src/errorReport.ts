import { CliError, describeSystemError, oneLine } from "./errors.js";

/** Where the error boundary writes. */
export interface ReportIO {
  stderr: (text: string) => void;
}

/** Whether stack traces were asked for: `--debug` before any `--`, or `RNNKIT_DEBUG=1`. */
export function wantsDebug(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = env["RNNKIT_DEBUG"];
  if (flag !== undefined && flag !== "" && flag !== "0" && flag.toLowerCase() !== "false") return true;
  const args = argv.slice(2);
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes("--debug");
}

/**
 * The command an argv runs, for messages: `train`, `classify train`, or "" when none is
 * recognised. `commands` maps each command to its subcommands.
 */
export function commandOf(argv: readonly string[], commands: ReadonlyMap<string, readonly string[]>): string {
  const words = argv.slice(2).filter((a) => !a.startsWith("-"));
  const first = words[0];
  if (first === undefined || !commands.has(first)) return "";
  const subs = commands.get(first)!;
  const second = words[1];
  return second !== undefined && subs.includes(second) ? `${first} ${second}` : first;
}

const COMMANDER_DONE = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

/**
 * The one error boundary: prints `rnnkit <command>: <what>` (one line), a hint line where
 * useful, the stack only with `debug`, and returns the exit code. Commander's own errors
 * (unknown options, bad values) come out the same way.
 */
export function reportError(e: unknown, command: string, debug: boolean, io: ReportIO): number {
  const prefix = command === "" ? "rnnkit" : `rnnkit ${command}`;
  const usage = `run "${prefix} --help" for usage`;
  const ce = e as { code?: unknown; exitCode?: unknown; message?: unknown };
  let line: string;
  let hint: string | undefined;
  let code = 1;
  if (typeof ce?.code === "string" && ce.code.startsWith("commander.") && typeof ce.exitCode === "number") {
    if (COMMANDER_DONE.has(ce.code) && ce.exitCode === 0) return 0;
    if (ce.code === "commander.help") {
      line = `${prefix}: missing command`;
    } else {
      line = `${prefix}: ${oneLine(String(ce.message)).replace(/^error: /, "")}`;
    }
    hint = usage;
    code = ce.exitCode === 0 ? 1 : ce.exitCode;
  } else if (e instanceof CliError) {
    const msg = oneLine(e.message);
    line = msg.startsWith("rnnkit ") ? msg : `${prefix}: ${msg}`;
    hint = e.hint;
    code = e.exitCode;
  } else if (e instanceof RangeError && /allocation failed|Invalid typed array length|Invalid array buffer length|Array buffer allocation/i.test(e.message)) {
    line = `${prefix}: out of memory: a tensor too large to allocate (${oneLine(e.message)})`;
    hint = "lower the sizes (--hidden, --layers, --embedding, --batch-size, --seq-len)";
  } else {
    const sys = describeSystemError(e);
    line = `${prefix}: ${sys ?? (oneLine(e instanceof Error ? e.message : String(e)) || "unexpected error")}`;
    if (!debug && sys === null) hint = "run with --debug (or RNNKIT_DEBUG=1) for the stack trace";
  }
  io.stderr(`${line}\n`);
  if (hint !== undefined) io.stderr(`${hint}\n`);
  if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return code;
}
