// Entry of the browser bundle built by browserBuild.test.ts: runs DataLoaders and hands back
// their batches as plain arrays, so the test compares them with Node's and torch's.
import { Generator, manualSeed, randint } from "@rnnkit/autograd";
import { DataLoader } from "@rnnkit/data";

/** One loader setting of the data fixture. */
export interface LoaderCase {
  seed: number;
  n: number;
  batchSize: number;
  shuffle: boolean;
  dropLast: boolean;
  epochs: number;
  /** Shuffle through the default generator seeded with `manualSeed(seed)` instead of a Generator. */
  defaultGenerator: boolean;
}

/** The batches of every epoch, the loader's length, and four draws left on the generator's stream. */
export interface LoaderRun {
  length: number;
  epochs: number[][][];
  after: number[];
}

/** Runs one loader case. */
export function runLoader(c: LoaderCase): LoaderRun {
  const range = Array.from({ length: c.n }, (_, i) => i);
  let generator: Generator | undefined;
  if (c.defaultGenerator) manualSeed(c.seed);
  else generator = new Generator(c.seed);
  const opts = { batchSize: c.batchSize, shuffle: c.shuffle, dropLast: c.dropLast };
  const loader = new DataLoader(range, generator ? { ...opts, generator } : opts);
  const epochs = Array.from({ length: c.epochs }, () => [...loader].map((b) => Array.from(b.data())));
  const after = Array.from(randint(0, 1000, [4], generator ? { generator } : {}).data());
  return { length: loader.length, epochs, after };
}
