import { Generator } from "@rnnkit/tensor";
import { tensor, type Tensor } from "@rnnkit/autograd";
import { TensorDataset } from "../dataset.js";

/** A generated task: batch-first inputs and targets, and the same as a dataset of `[input, target]` rows. */
export interface SequenceTask {
  inputs: Tensor;
  targets: Tensor;
  dataset: TensorDataset<[Tensor, Tensor]>;
}

function positiveInt(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${op}: ${name} must be a positive integer, got ${v}`);
}

function task(inputs: Tensor, targets: Tensor): SequenceTask {
  return { inputs, targets, dataset: new TensorDataset(inputs, targets) };
}

/** Options of {@link sineWave}. */
export interface SineWaveOptions {
  /** Number of series (default 100). */
  count?: number;
  /** Time steps per series (default 50). */
  length?: number;
  /** Frequency range in cycles per step, drawn uniformly (default [1/40, 1/10]). */
  frequency?: readonly [number, number];
  /** Standard deviation of Gaussian noise added to the inputs (default 0). */
  noise?: number;
  seed?: number;
}

/**
 * Next-value forecasting of sine waves: `x_t = sin(2π f t + φ)`, f ~ U(frequency), φ ~ U[0, 2π).
 * Inputs `[count, length, 1]` are x_0..x_{length-1} (plus noise); targets `[count, length, 1]` are
 * x_1..x_length (clean), so step t predicts the value after it.
 * @example const { inputs, targets } = sineWave({ count: 8, length: 30, seed: 0 });
 */
export function sineWave(opts: SineWaveOptions = {}): SequenceTask {
  const count = opts.count ?? 100;
  const length = opts.length ?? 50;
  positiveInt("sineWave", "count", count);
  positiveInt("sineWave", "length", length);
  const [fLow, fHigh] = opts.frequency ?? [1 / 40, 1 / 10];
  if (!(fLow > 0 && fHigh >= fLow)) throw new Error(`sineWave: frequency must be [low, high] with 0 < low <= high, got [${fLow}, ${fHigh}]`);
  const noise = opts.noise ?? 0;
  const g = new Generator(opts.seed ?? 0);
  const x = new Float32Array(count * length);
  const y = new Float32Array(count * length);
  // Waves first, noise after, so adding noise leaves the clean series (and targets) unchanged.
  const waves = Array.from({ length: count }, () => [fLow + (fHigh - fLow) * g.uniform64(), 2 * Math.PI * g.uniform64()] as const);
  waves.forEach(([f, phase], n) => {
    for (let t = 0; t < length; t++) {
      x[n * length + t] = Math.sin(2 * Math.PI * f * t + phase);
      y[n * length + t] = Math.sin(2 * Math.PI * f * (t + 1) + phase);
    }
  });
  if (noise > 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! + noise * g.normal();
  return task(tensor(x, { shape: [count, length, 1] }), tensor(y, { shape: [count, length, 1] }));
}

/** Options of {@link addingProblem}. */
export interface AddingProblemOptions {
  /** Number of sequences (default 1000). */
  count?: number;
  /** Time steps T (default 50). */
  length?: number;
  seed?: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; as in Le et al. 2015 and Arjovsky et al. 2016):
 * inputs `[count, T, 2]`, channel 0 values ~ U[0, 1], channel 1 a marker that is 1 at exactly two
 * steps, one in the first half and one in the second, else 0; target `[count, 1]` is the sum of the
 * two marked values. Predicting 1 always gives MSE ≈ 0.167, the baseline to beat.
 * @example const { inputs, targets } = addingProblem({ count: 256, length: 50, seed: 0 });
 */
export function addingProblem(opts: AddingProblemOptions = {}): SequenceTask {
  const count = opts.count ?? 1000;
  const length = opts.length ?? 50;
  positiveInt("addingProblem", "count", count);
  if (!Number.isInteger(length) || length < 2) throw new Error(`addingProblem: length must be an integer >= 2, got ${length}`);
  const g = new Generator(opts.seed ?? 0);
  const half = Math.floor(length / 2);
  const x = new Float32Array(count * length * 2);
  const y = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    const base = n * length * 2;
    for (let t = 0; t < length; t++) x[base + 2 * t] = g.uniform();
    const a = g.randint(0, half);
    const b = g.randint(half, length);
    x[base + 2 * a + 1] = 1;
    x[base + 2 * b + 1] = 1;
    y[n] = x[base + 2 * a]! + x[base + 2 * b]!;
  }
  return task(tensor(x, { shape: [count, length, 2] }), tensor(y, { shape: [count, 1] }));
}

/** Options of {@link copyTask}. */
export interface CopyTaskOptions {
  /** Number of sequences (default 1000). */
  count?: number;
  /** The delay T between the end of the symbols and the delimiter's step (default 20). */
  length?: number;
  /** How many symbols to remember (default 10). */
  sequenceLength?: number;
  /** Alphabet size K (default 8). */
  numSymbols?: number;
  seed?: number;
}

/**
 * The copy task (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016). Token ids: 0 blank,
 * 1..K symbols, K+1 delimiter. Input (length `S + T + S`): S random symbols, T-1 blanks, the
 * delimiter, S blanks. Target: `S + T` blanks, then the S symbols. Both int32 `[count, 2S + T]`;
 * the memoryless baseline cross-entropy is `S·log(K) / (2S + T)`.
 * @example const { inputs, targets } = copyTask({ count: 64, length: 20, seed: 0 }); // [64, 40]
 */
export function copyTask(opts: CopyTaskOptions = {}): SequenceTask {
  const count = opts.count ?? 1000;
  const delay = opts.length ?? 20;
  const s = opts.sequenceLength ?? 10;
  const k = opts.numSymbols ?? 8;
  positiveInt("copyTask", "count", count);
  positiveInt("copyTask", "length", delay);
  positiveInt("copyTask", "sequenceLength", s);
  positiveInt("copyTask", "numSymbols", k);
  const total = 2 * s + delay;
  const g = new Generator(opts.seed ?? 0);
  const x = new Int32Array(count * total);
  const y = new Int32Array(count * total);
  for (let n = 0; n < count; n++) {
    const base = n * total;
    for (let i = 0; i < s; i++) {
      const sym = 1 + g.randint(0, k);
      x[base + i] = sym;
      y[base + s + delay + i] = sym;
    }
    x[base + s + delay - 1] = k + 1;
  }
  return task(tensor(x, { shape: [count, total], dtype: "int32" }), tensor(y, { shape: [count, total], dtype: "int32" }));
}
