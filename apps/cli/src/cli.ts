import { reportError, wantsDebug } from "./errorReport.js";
import { commandFromArgv, main } from "./program.js";

// Whatever escapes the command's promise still ends as one line, never a raw stack.
const lastResort = (e: unknown): void => {
  process.exitCode = reportError(e, commandFromArgv(process.argv), wantsDebug(process.argv), { stderr: (t) => process.stderr.write(t) });
  process.exit();
};
process.on("uncaughtException", lastResort);
process.on("unhandledRejection", lastResort);
// A closed pipe (`rnnkit sample m | head`) ends the command quietly, as other tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  lastResort(e);
});
process.exitCode = await main(process.argv);
