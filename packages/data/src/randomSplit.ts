import { defaultGenerator, type Generator } from "@rnnkit/tensor";
import { Subset, type Dataset } from "./dataset.js";
import { permutation } from "./permutation.js";

/**
 * Splits `dataset` at random into non-overlapping subsets of the given lengths, or of fractions
 * summing to 1 (floor of each, the remainder handed out one by one from the first), as
 * torch.utils.data.random_split with the same generator.
 * @example const [train, test] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], opts: { generator?: Generator } = {}): Subset<T>[] {
  const n = dataset.length;
  let sizes = [...lengths];
  const sum = sizes.reduce((a, b) => a + b, 0);
  // torch's rule: lengths summing to 1 (and not more than the dataset) are fractions.
  if (Math.abs(sum - 1) <= 1e-9 && sum <= n) {
    for (const [k, f] of sizes.entries()) {
      if (!(f >= 0 && f <= 1)) throw new Error(`randomSplit: fraction at index ${k} is not between 0 and 1, got ${f}`);
    }
    sizes = sizes.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let k = 0; k < remainder; k++) sizes[k % sizes.length]! += 1;
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new Error(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(", ")}]`);
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n) {
    throw new Error(`randomSplit: sum of input lengths (${total}) does not equal the length of the input dataset (${n})`);
  }
  const perm = permutation(total, opts.generator ?? defaultGenerator);
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const s of sizes) {
    out.push(new Subset(dataset, perm.slice(offset, offset + s)));
    offset += s;
  }
  return out;
}
