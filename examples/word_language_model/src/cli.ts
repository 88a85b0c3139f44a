import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * The script's `--name value` options (node:util parseArgs); `pnpm train -- --epochs 4` hands
 * the script a literal "--" first, which is skipped.
 */
export function cliOptions<O extends NonNullable<ParseArgsConfig["options"]>>(options: O): CliValues<O> {
  const argv = process.argv.slice(2);
  return parseArgs({ args: argv[0] === "--" ? argv.slice(1) : argv, options, strict: true }).values as CliValues<O>;
}

/** The parsed values: booleans for flags, strings for the rest. */
export type CliValues<O> = { [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : string };
