import * as rk from "rnnkit";
import { CliError } from "./errors.js";
import { loadCharLM } from "./loadModel.js";
import { defaultPrime, sampleIds } from "./sampling.js";
import { describeUnknown, encodeText } from "./vocabulary.js";

/** Options of `rnnkit sample`. */
export interface SampleCommandOptions {
  prime: string | null;
  length: number;
  temperature: number;
  topK: number;
  seed: number;
  /** Refuse a prime with characters outside the vocabulary instead of skipping them. */
  strict: boolean;
}

const OP = "rnnkit sample";

/**
 * `rnnkit sample MODEL`: prints the prime followed by `length` generated characters, streamed
 * as they are drawn. Without `--prime` the model starts from a newline (or its first
 * vocabulary character). Prime characters outside the vocabulary are skipped and counted on
 * stderr (`--strict`: refused).
 */
export function sampleCommand(path: string, o: SampleCommandOptions): void {
  if (!Number.isInteger(o.length) || o.length < 0) throw new CliError(`${OP}: --length must be a non-negative integer, got ${o.length}`);
  if (!(o.temperature >= 0)) throw new CliError(`${OP}: --temperature must be >= 0 (0 is greedy), got ${o.temperature}`);
  if (!Number.isInteger(o.topK) || o.topK < 0) throw new CliError(`${OP}: --top-k must be a non-negative integer (0 keeps all), got ${o.topK}`);
  if (o.prime !== null && o.prime.length === 0) throw new CliError(`${OP}: --prime must not be empty`);
  const { model, vocab } = loadCharLM(path, OP);
  const prime = o.prime ?? defaultPrime(vocab);
  const enc = encodeText(vocab, prime, { op: OP, what: `--prime ${JSON.stringify(prime)}`, strict: o.strict });
  if (enc.ids.length === 0) {
    throw new CliError(`${OP}: --prime ${JSON.stringify(prime)} has no character in the model's vocabulary (outside it: ${describeUnknown(enc)})`);
  }
  if (enc.skipped > 0) process.stderr.write(`note: skipped ${enc.skipped} character(s) of --prime outside the model's vocabulary: ${describeUnknown(enc)}\n`);
  // Printed is what the model was fed: the prime without the skipped characters.
  let buffer = o.prime === null ? "" : vocab.decode(enc.ids);
  sampleIds(model, enc.ids, { length: o.length, temperature: o.temperature, topK: o.topK, generator: new rk.Generator(o.seed) }, (id) => {
    buffer += vocab.tokens[id]!;
    if (buffer.length >= 4096) {
      process.stdout.write(buffer);
      buffer = "";
    }
  });
  process.stdout.write(`${buffer}\n`);
}
