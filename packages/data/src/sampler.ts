import { defaultGenerator, type Generator } from "@rnnkit/tensor";
import { permutation, spawnGenerator } from "./permutation.js";

/** Something that yields dataset indices and knows how many (torch.utils.data.Sampler). */
export interface Sampler<I = number> extends Iterable<I> {
  readonly length: number;
}

/** Anything with a length: a dataset, an array, or a count given directly. */
export type Sized = number | { readonly length: number };

function sizeOf(data: Sized): number {
  return typeof data === "number" ? data : data.length;
}

/**
 * Indices 0, 1, …, n-1 in order.
 * @example [...new SequentialSampler(3)] // [0, 1, 2]
 */
export class SequentialSampler implements Sampler {
  constructor(private readonly data: Sized) {}
  get length(): number {
    return sizeOf(this.data);
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** How many indices per pass (default: the dataset's length). */
  numSamples?: number;
  /** Source of randomness; without one, each pass seeds a fresh generator from the default one, as torch does. */
  generator?: Generator;
}

/**
 * Indices in random order, the same order torch's RandomSampler gives for the same generator:
 * without replacement, `torch.randperm(n)` per `n` samples; with replacement, `randint(n)` in blocks of 32.
 * @example [...new RandomSampler(5, { generator: new Generator(0) })] // a permutation of 0..4
 */
export class RandomSampler implements Sampler {
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly numSamplesOpt: number | undefined;

  constructor(private readonly data: Sized, opts: RandomSamplerOptions = {}) {
    this.replacement = opts.replacement ?? false;
    this.generator = opts.generator;
    this.numSamplesOpt = opts.numSamples;
    if (opts.numSamples !== undefined && (!Number.isInteger(opts.numSamples) || opts.numSamples <= 0)) {
      throw new Error(`RandomSampler: numSamples should be a positive integer value, but got numSamples=${opts.numSamples}`);
    }
  }

  /** Number of indices per pass. */
  get numSamples(): number {
    return this.numSamplesOpt ?? sizeOf(this.data);
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = sizeOf(this.data);
    const g = this.generator ?? spawnGenerator(defaultGenerator);
    const total = this.numSamples;
    if (this.replacement) {
      if (n === 0) throw new Error("RandomSampler: cannot sample with replacement from an empty dataset");
      for (let k = 0; k < total; k++) yield g.randint(0, n);
      return;
    }
    if (n === 0) return;
    for (let k = 0; k < Math.floor(total / n); k++) yield* permutation(n, g);
    yield* permutation(n, g).slice(0, total % n);
  }
}

/**
 * Indices `indices` in a random order (torch's SubsetRandomSampler).
 * @example new SubsetRandomSampler([0, 2, 4], { generator: new Generator(1) })
 */
export class SubsetRandomSampler implements Sampler {
  constructor(readonly indices: readonly number[], private readonly opts: { generator?: Generator } = {}) {}
  get length(): number {
    return this.indices.length;
  }
  *[Symbol.iterator](): Iterator<number> {
    for (const i of permutation(this.indices.length, this.opts.generator ?? defaultGenerator)) yield this.indices[i]!;
  }
}

/**
 * Groups another sampler's indices into lists of `batchSize`; the last may be shorter unless `dropLast`.
 * @example [...new BatchSampler(new SequentialSampler(5), 2, false)] // [[0, 1], [2, 3], [4]]
 */
export class BatchSampler implements Sampler<number[]> {
  constructor(readonly sampler: Sampler, readonly batchSize: number, readonly dropLast = false) {
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new Error(`BatchSampler: batchSize should be a positive integer value, but got batchSize=${batchSize}`);
    }
  }

  get length(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
