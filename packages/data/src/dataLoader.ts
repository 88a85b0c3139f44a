import { defaultGenerator, type Generator } from "@rnnkit/tensor";
import { defaultCollate, type Collated } from "./collate.js";
import { ArrayDataset, Dataset } from "./dataset.js";
import { skipSeedDraw } from "./permutation.js";
import { BatchSampler, RandomSampler, SequentialSampler, type Sampler } from "./sampler.js";

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); `null` yields single samples, uncollated. */
  batchSize?: number | null;
  /** Reshuffle the indices on every pass (default false). */
  shuffle?: boolean;
  /** Drop the last, incomplete batch (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default {@link defaultCollate}). */
  collate?: (samples: T[]) => B;
  /** Where indices come from; excludes `shuffle`. */
  sampler?: Sampler;
  /** Yields whole batches of indices; excludes `batchSize`, `shuffle`, `sampler` and `dropLast`. */
  batchSampler?: Sampler<number[]>;
  /** Randomness for shuffling: the same seed gives the same batches as torch's DataLoader. */
  generator?: Generator;
}

/**
 * Iterates over a dataset in batches (torch.utils.data.DataLoader, single process).
 * `length` is the number of batches: ceil(n / batchSize), or floor with `dropLast`.
 * With `shuffle` and a generator seeded as in torch, the batches are torch's, index for index:
 * every pass first takes torch's 64-bit base-seed draw, then `randperm(n)`.
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, generator: new Generator(0) });
 * for (const [xb, yb] of loader) { ... } // xb: [32, ...], yb: [32]
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly generator: Generator | undefined;
  readonly sampler: Sampler;
  readonly batchSampler: Sampler<number[]> | null;
  private readonly collate: (samples: T[]) => B;

  constructor(dataset: Dataset<T> | readonly T[], opts: DataLoaderOptions<T, B> = {}) {
    this.dataset = dataset instanceof Dataset ? dataset : new ArrayDataset(dataset as readonly T[]);
    const shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.generator = opts.generator;
    if (opts.sampler !== undefined && shuffle) {
      throw new Error("DataLoader: sampler option is mutually exclusive with shuffle");
    }
    if (opts.batchSampler !== undefined) {
      if ((opts.batchSize !== undefined && opts.batchSize !== 1) || shuffle || opts.sampler !== undefined || this.dropLast) {
        throw new Error("DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast");
      }
      this.batchSize = null;
    } else {
      const bs = opts.batchSize === undefined ? 1 : opts.batchSize;
      if (bs !== null && (!Number.isInteger(bs) || bs <= 0)) {
        throw new Error(`DataLoader: batchSize should be a positive integer value, but got batchSize=${bs}`);
      }
      if (bs === null && this.dropLast) {
        throw new Error("DataLoader: batchSize=null option disables auto-batching and is mutually exclusive with dropLast");
      }
      this.batchSize = bs;
    }
    const sampler =
      opts.sampler ??
      (shuffle ? new RandomSampler(this.dataset, opts.generator === undefined ? {} : { generator: opts.generator }) : new SequentialSampler(this.dataset));
    this.sampler = sampler;
    this.batchSampler = opts.batchSampler ?? (this.batchSize === null ? null : new BatchSampler(sampler, this.batchSize, this.dropLast));
    this.collate = opts.collate ?? ((samples: T[]) => defaultCollate(samples) as B);
  }

  /** Number of batches per pass (number of samples when `batchSize` is null). */
  get length(): number {
    return this.batchSampler === null ? this.sampler.length : this.batchSampler.length;
  }

  *[Symbol.iterator](): Iterator<B> {
    skipSeedDraw(this.generator ?? defaultGenerator);
    if (this.batchSampler === null) {
      for (const i of this.sampler) yield this.dataset.get(i) as unknown as B;
      return;
    }
    for (const indices of this.batchSampler) yield this.collate(indices.map((i) => this.dataset.get(i)));
  }
}
