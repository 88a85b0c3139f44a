import { loadCharLM } from "./loadModel.js";
import { evaluateLoss, readText } from "./textData.js";
import { CliError } from "./errors.js";

const OP = "rnnkit eval";

/**
 * `rnnkit eval MODEL --data FILE`: mean next-character cross-entropy (nats), perplexity
 * `exp(loss)` and bits per character `loss / ln 2` of the model on the file.
 */
export function evalCommand(path: string, o: { data: string | undefined; seqLen: number; batchSize: number; json: boolean }): void {
  if (o.data === undefined) throw new CliError(`${OP}: --data FILE is required`);
  if (!Number.isInteger(o.seqLen) || o.seqLen < 1) throw new CliError(`${OP}: --seq-len must be a positive integer, got ${o.seqLen}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new CliError(`${OP}: --batch-size must be a positive integer, got ${o.batchSize}`);
  const { model, vocab } = loadCharLM(path, OP);
  const text = readText(o.data, OP);
  const ids = vocab.encode(text, OP, `data file ${o.data}`);
  if (ids.length < 2) throw new CliError(`${OP}: data file ${o.data} needs at least 2 characters, got ${ids.length}`);
  const loss = evaluateLoss(model, ids, o.batchSize, o.seqLen);
  const result = { characters: ids.length, loss, perplexity: Math.exp(loss), bitsPerChar: loss / Math.LN2 };
  if (o.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    `characters: ${result.characters}\nloss: ${loss.toFixed(4)} nats/char\nperplexity: ${result.perplexity.toFixed(3)}\nbits per character: ${result.bitsPerChar.toFixed(4)}\n`,
  );
}
