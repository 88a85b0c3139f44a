import { loadCharLM } from "./loadModel.js";
import { evaluateLoss, readText } from "./textData.js";
import { CliError } from "./errors.js";
import { describeUnknown, encodeText } from "./vocabulary.js";

const OP = "rnnkit eval";

/** Options of `rnnkit eval`. */
export interface EvalOptions {
  data: string;
  seqLen: number;
  batchSize: number;
  json: boolean;
  /** Refuse a text with characters outside the vocabulary instead of skipping them. */
  strict: boolean;
}

/**
 * `rnnkit eval MODEL --data FILE`: mean next-character cross-entropy (nats), perplexity
 * `exp(loss)` and bits per character `loss / ln 2` of the model on the file. Characters
 * outside the model's vocabulary are skipped and counted (`--strict`: refused).
 */
export function evalCommand(path: string, o: EvalOptions): void {
  if (!Number.isInteger(o.seqLen) || o.seqLen < 1) throw new CliError(`${OP}: --seq-len must be a positive integer, got ${o.seqLen}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new CliError(`${OP}: --batch-size must be a positive integer, got ${o.batchSize}`);
  const { model, vocab } = loadCharLM(path, OP);
  const text = readText(o.data, OP);
  const enc = encodeText(vocab, text, { op: OP, what: `data file ${o.data}`, strict: o.strict });
  if (enc.ids.length < 2) {
    throw new CliError(`${OP}: data file ${o.data} needs at least 2 characters in the model's vocabulary, got ${enc.ids.length}${enc.skipped > 0 ? ` (${enc.skipped} skipped)` : ""}`);
  }
  const loss = evaluateLoss(model, enc.ids, o.batchSize, o.seqLen);
  if (!Number.isFinite(loss)) throw new CliError(`${OP}: the loss on ${o.data} is ${loss}; the model's weights are too large to evaluate`);
  const result = { characters: enc.ids.length, skipped: enc.skipped, loss, perplexity: Math.exp(loss), bitsPerChar: loss / Math.LN2 };
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const note = enc.skipped > 0 ? ` (${enc.skipped} skipped: outside the model's vocabulary: ${describeUnknown(enc)})` : "";
  process.stdout.write(
    `characters: ${result.characters}${note}\nloss: ${loss.toFixed(4)} nats/char\nperplexity: ${result.perplexity.toFixed(3)}\nbits per character: ${result.bitsPerChar.toFixed(4)}\n`,
  );
}
