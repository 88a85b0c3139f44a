import { boxMuller16f32 } from "./normalFill.js";

/**
 * A seeded random generator: Mersenne Twister (mt19937), the engine torch's CPU generator
 * uses, with torch's float32 transforms, so the same seed gives the same numbers in Node
 * and every browser.
 * @example const g = new Generator(0); g.uniform(); // a number in [0, 1)
 */
export class Generator {
  private mt = new Uint32Array(624);
  /** The same state words as int32 (what the twist computes on: no unsigned-to-double conversions). */
  private words = new Int32Array(this.mt.buffer);
  private index = 624;
  private seedValue = 0;

  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  /** Resets the generator to the state `seed` gives (torch.Generator.manual_seed). */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
      throw new Error(`manualSeed: seed must be an integer, got ${seed}`);
    }
    this.seedValue = seed;
    const mt = this.mt;
    // torch seeds mt19937 with the low 32 bits of the 64-bit seed.
    mt[0] = Number(BigInt.asUintN(32, BigInt(seed)));
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
    // torch's manual_seed also forgets the cached second Box–Muller sample.
    this.cachedNormal = null;
    return this;
  }

  /** The seed last given. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** The full state, for saving and restoring a stream. */
  getState(): { mt: number[]; index: number; seed: number; cachedNormal?: number | null } {
    return { mt: Array.from(this.mt), index: this.index, seed: this.seedValue, cachedNormal: this.cachedNormal };
  }

  setState(state: { mt: readonly number[]; index: number; seed: number; cachedNormal?: number | null }): this {
    if (state.mt.length !== 624) throw new Error(`Generator.setState: expected 624 state words, got ${state.mt.length}`);
    this.mt.set(state.mt);
    this.index = state.index;
    this.seedValue = state.seed;
    this.cachedNormal = state.cachedNormal ?? null;
    return this;
  }

  /** The next 32-bit unsigned integer of the stream. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    return temper(this.words[this.index++]!);
  }

  private twist(): void {
    // The same recurrence on the words' int32 view, in three ranges so no index wraps, and
    // without a branch on the low bit (a coin flip the CPU would mispredict half the time).
    const mt = this.words;
    let i = 0;
    for (; i < 227; i++) mt[i] = twistWord(mt[i]!, mt[i + 1]!, mt[i + 397]!);
    for (; i < 623; i++) mt[i] = twistWord(mt[i]!, mt[i + 1]!, mt[i - 227]!);
    mt[623] = twistWord(mt[623]!, mt[0]!, mt[396]!);
    this.index = 0;
  }

  /** A float in [0, 1) with 24 random bits, as torch draws float32 uniforms. */
  uniform(): number {
    return (this.nextUint32() & 0xffffff) / 16777216;
  }

  /** A float in [0, 1) with 53 random bits. */
  uniform64(): number {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    // torch's random64 combines two draws as (hi << 32) | lo; keep the low 53 bits.
    return ((hi & 0x1fffff) * 4294967296 + lo) / 9007199254740992;
  }

  /** An integer in [low, high): one 32-bit draw modulo the range, or a 64-bit one past 2³² (as torch). */
  randint(low: number, high: number): number {
    if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
    const range = high - low;
    if (range < 4294967296) return low + (this.nextUint32() % range);
    const hi = BigInt(this.nextUint32());
    const lo = BigInt(this.nextUint32());
    return low + Number(((hi << 32n) | lo) % BigInt(range));
  }

  /** Fills `out` with uniforms in [from, to): 24 random bits per float32, 53 per float64 (as torch). */
  fillUniform(out: Float32Array | Float64Array, from = 0, to = 1): void {
    if (out instanceof Float64Array) {
      for (let i = 0; i < out.length; i++) out[i] = this.uniform64() * (to - from) + from;
      return;
    }
    // torch computes `u · (to − from) + from` in float32 with a fused multiply-add: the
    // product of 24-bit values is exact in double, so one rounding on store matches it.
    const lo = Math.fround(from);
    const range = Math.fround(Math.fround(to) - lo);
    for (let i = 0; i < out.length; i++) out[i] = this.uniform() * range + lo;
  }

  /**
   * Fills `out` with normals N(mean, std²). Arrays of 16 or more use torch's block Box–Muller
   * (uniforms first, then pairs 8 apart in blocks of 16).
   */
  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    const n = out.length;
    if (n >= 16) {
      // float32 follows torch's x86 vector kernel (float32 math); float64 its double loop.
      const f64 = out instanceof Float64Array;
      const draw = f64 ? () => this.uniform64() : () => this.uniform();
      const fill16 = f64 ? boxMuller16 : (d: Float32Array | Float64Array, at: number, m: number, s: number) => boxMuller16f32(d as Float32Array, at, m, s);
      for (let i = 0; i < n; i++) out[i] = draw();
      for (let i = 0; i + 16 <= n; i += 16) fill16(out, i, mean, std);
      if (n % 16 !== 0) {
        // The tail: redraw the last 16 entries and transform them again, as torch does.
        const start = n - 16;
        for (let i = 0; i < 16; i++) out[start + i] = draw();
        fill16(out, start, mean, std);
      }
      return;
    }
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
  }

  private cachedNormal: number | null = null;

  /** One normal draw (double precision Box–Muller with a cached second value). */
  normal(mean = 0, std = 1): number {
    if (this.cachedNormal !== null) {
      const v = this.cachedNormal;
      this.cachedNormal = null;
      return v * std + mean;
    }
    const u1 = this.uniform64();
    const u2 = this.uniform64();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.cachedNormal = r * Math.sin(theta);
    return r * Math.cos(theta) * std + mean;
  }

  /**
   * 1 with probability p, else 0, from one uniform: 53 random bits by default (torch's double
   * path, e.g. `bernoulli_(p)` with a scalar), 24 bits for a float32 probability tensor.
   */
  bernoulli(p: number, bits: 24 | 53 = 53): number {
    return (bits === 24 ? this.uniform() : this.uniform64()) < p ? 1 : 0;
  }
}

/** mt19937's output tempering of one state word, as an unsigned 32-bit integer. */
function temper(word: number): number {
  let y = word;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/** One word of mt19937's twist (int32 bits) from the word itself, the next one and the one 397 ahead (cyclically). */
function twistWord(cur: number, next: number, ahead: number): number {
  const y = (cur & 0x80000000) | (next & 0x7fffffff);
  return ahead ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
}

function boxMuller16(data: Float32Array | Float64Array, at: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[at + j]!;
    const u2 = data[at + j + 8]!;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    data[at + j] = radius * Math.cos(theta) * std + mean;
    data[at + j + 8] = radius * Math.sin(theta) * std + mean;
  }
}

/** The generator every random function uses when none is given. */
export const defaultGenerator = new Generator();

/** Seeds the default generator (torch.manual_seed). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
