import * as rk from "rnnkit";
import { CliError } from "./errors.js";
import { loadCharLM } from "./loadModel.js";
import { defaultPrime, sampleText } from "./sampling.js";

/** Options of `rnnkit sample`. */
export interface SampleCommandOptions {
  prime: string | null;
  length: number;
  temperature: number;
  topK: number;
  seed: number;
}

const OP = "rnnkit sample";

/**
 * `rnnkit sample MODEL`: prints the prime followed by `length` generated characters.
 * Without `--prime` the model starts from a newline (or its first vocabulary character).
 */
export function sampleCommand(path: string, o: SampleCommandOptions): void {
  if (!Number.isInteger(o.length) || o.length < 0) throw new CliError(`${OP}: --length must be a non-negative integer, got ${o.length}`);
  if (!(o.temperature >= 0)) throw new CliError(`${OP}: --temperature must be >= 0 (0 is greedy), got ${o.temperature}`);
  if (!Number.isInteger(o.topK) || o.topK < 0) throw new CliError(`${OP}: --top-k must be a non-negative integer (0 keeps all), got ${o.topK}`);
  const { model, vocab } = loadCharLM(path, OP);
  const prime = o.prime ?? defaultPrime(vocab);
  if (prime.length === 0) throw new CliError(`${OP}: --prime must not be empty`);
  const ids = vocab.encode(prime, OP, `--prime ${JSON.stringify(prime)}`);
  const text = sampleText(model, vocab, ids, {
    length: o.length, temperature: o.temperature, topK: o.topK, generator: new rk.Generator(o.seed),
  });
  process.stdout.write(`${o.prime === null ? "" : prime}${text}\n`);
}
