import cliProgress from "cli-progress";

/** A value printed in a log line: numbers are shown rounded, JSON keeps them exact. */
export type LogFields = Record<string, string | number | boolean | null>;

/**
 * Where a command reports progress: a progress bar (loss, tokens/s, ETA) on a TTY, plain
 * lines otherwise, or one JSON object per line with `--json`.
 */
export class Logger {
  private bar: cliProgress.SingleBar | null = null;
  private lastPlain = 0;

  constructor(readonly mode: "json" | "tty" | "plain") {}

  /** Picks the mode from `--json` and whether stderr is a terminal. */
  static create(json: boolean): Logger {
    if (json) return new Logger("json");
    return new Logger(process.stderr.isTTY ? "tty" : "plain");
  }

  /** A line for humans (suppressed in JSON mode, where `event` carries the data). */
  info(line: string): void {
    if (this.mode === "json") return;
    this.withBarHidden(() => process.stdout.write(`${line}\n`));
  }

  /** A structured event: a JSON line in JSON mode, else `text` (when given) as a plain line. */
  event(kind: string, fields: LogFields, text?: string): void {
    if (this.mode === "json") {
      process.stdout.write(`${JSON.stringify({ event: kind, ...fields })}\n`);
    } else if (text !== undefined) {
      this.info(text);
    }
  }

  /** Starts a bar of `total` steps (TTY only). */
  startBar(total: number, start: number): void {
    if (this.mode !== "tty") return;
    this.bar = new cliProgress.SingleBar(
      { format: " {bar} {value}/{total} | loss {loss} | {tps} tok/s | ETA {eta_formatted}", hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, start, { loss: "-", tps: "-" });
  }

  /** Advances the bar, or prints a plain progress line at most every `everyMs`. */
  progress(step: number, total: number, loss: number, tokensPerSec: number, everyMs = 2000): void {
    if (this.bar) {
      this.bar.update(step, { loss: loss.toFixed(4), tps: Math.round(tokensPerSec) });
      return;
    }
    if (this.mode === "plain") {
      const now = Date.now();
      if (now - this.lastPlain < everyMs && step !== total) return;
      this.lastPlain = now;
      process.stdout.write(`step ${step}/${total} loss=${loss.toFixed(4)} ${Math.round(tokensPerSec)} tok/s\n`);
    }
  }

  stopBar(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private withBarHidden(fn: () => void): void {
    if (!this.bar) return fn();
    // cli-progress redraws on the next update; clear the line so text does not mix with it.
    process.stderr.write("\r\x1b[2K");
    fn();
  }
}
