import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultGenerator, Generator, manualSeed } from "../src/index.js";

interface Out { shape: number[]; dtype: "float32" | "float64" | "int32"; data: number[] }
interface Call { fn: string; shape?: number[]; dtype?: string; low?: number; high?: number; from?: number; to?: number; mean?: number; std?: number; p?: number[]; out: Out }
interface Case { seed: number; calls: Call[] }
const cases = JSON.parse(readFileSync(join(__dirname, "fixtures", "rng.json"), "utf8")) as Case[];

const numel = (s: number[] = []) => s.reduce((a, b) => a * b, 1);

/** The rnnkit draw that mirrors each torch call. */
function draw(g: Generator, c: Call): number[] {
  const n = numel(c.shape);
  const f64 = c.dtype === "float64";
  const buf = () => (f64 ? new Float64Array(n) : new Float32Array(n));
  switch (c.fn) {
    case "rand": { const a = buf(); g.fillUniform(a); return Array.from(a); }
    case "randn": { const a = buf(); g.fillNormal(a); return Array.from(a); }
    case "uniform_": { const a = buf(); g.fillUniform(a, c.from, c.to); return Array.from(a); }
    case "normal_": { const a = buf(); g.fillNormal(a, c.mean, c.std); return Array.from(a); }
    case "randint": return Array.from({ length: n }, () => g.randint(c.low!, c.high!));
    case "bernoulli": return c.p!.map((p) => (f64 ? g.bernoulli(p) : g.bernoulli(Math.fround(p), 24)));
    default: throw new Error(`unknown call ${c.fn}`);
  }
}

/** Distance in float32 units in the last place. */
function ulps(a: number, b: number): number {
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  const key = (v: number) => (v < 0 ? 0x80000000 - v : v);
  return Math.abs(key(i[0]!) - key(i[1]!));
}

function label(c: Case): string {
  return `seed ${c.seed}: ` + c.calls.map((k) => `${k.fn}${k.dtype === "float64" ? "(f64)" : ""}${JSON.stringify(k.shape ?? k.p?.length)}`).join(" → ");
}

describe("Generator reproduces torch's CPU streams exactly", () => {
  for (const c of cases) {
    it(label(c), () => {
      const g = new Generator(c.seed);
      for (const call of c.calls) {
        const got = draw(g, call);
        const want = call.out.data;
        expect(got.length, call.fn).toBe(want.length);
        want.forEach((w, i) => {
          if (call.out.dtype === "float32") {
            if (ulps(got[i]!, w) > 0) throw new Error(`${call.fn} element ${i}: got ${got[i]}, torch ${w}`);
          } else if (call.out.dtype === "float64") {
            if (Math.abs(got[i]! - w) > 1e-15 * Math.max(1, Math.abs(w))) throw new Error(`${call.fn} (f64) element ${i}: got ${got[i]}, torch ${w}`);
          } else if (got[i] !== w) {
            throw new Error(`${call.fn} element ${i}: got ${got[i]}, torch ${w}`);
          }
        });
      }
    });
  }
});

describe("Generator streams", () => {
  it("the same seed gives the same stream; a different seed a different one", () => {
    const a = new Generator(99);
    const b = new Generator(99);
    const xs = Array.from({ length: 700 }, () => a.nextUint32());
    expect(Array.from({ length: 700 }, () => b.nextUint32())).toEqual(xs);
    const c = new Generator(100);
    expect(Array.from({ length: 10 }, () => c.nextUint32())).not.toEqual(xs.slice(0, 10));
  });

  it("the twist equals mt19937's textbook recurrence over many twists", () => {
    // The reference: the recurrence as published, with its modulo indices and low-bit branch.
    const mt = new Uint32Array(624);
    mt[0] = 12345;
    for (let i = 1; i < 624; i++) mt[i] = (Math.imul(1812433253, mt[i - 1]! ^ (mt[i - 1]! >>> 30)) + i) >>> 0;
    const want: number[] = [];
    for (let round = 0; round < 9; round++) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
        let v = mt[(i + 397) % 624]! ^ (y >>> 1);
        if (y & 1) v ^= 0x9908b0df;
        mt[i] = v >>> 0;
      }
      for (let i = 0; i < 624; i++) {
        let y = mt[i]!;
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        want.push(y >>> 0);
      }
    }
    const g = new Generator(12345);
    expect(Array.from({ length: want.length }, () => g.nextUint32())).toEqual(want);
  });

  it("manualSeed resets the stream mid-way, including a cached normal", () => {
    const g = new Generator(5);
    const first = [g.normal(), g.uniform(), g.normal()];
    g.normal(); // leaves a cached second value behind
    g.manualSeed(5);
    expect([g.normal(), g.uniform(), g.normal()]).toEqual(first);
  });

  it("getState/setState resume a stream exactly", () => {
    const g = new Generator(11);
    g.uniform();
    const s = g.getState();
    const want = Array.from({ length: 5 }, () => g.nextUint32());
    const h = new Generator(0).setState(s);
    expect(Array.from({ length: 5 }, () => h.nextUint32())).toEqual(want);
    expect(h.initialSeed()).toBe(11);
  });

  it("the global manualSeed seeds the default generator", () => {
    manualSeed(3);
    const x = defaultGenerator.nextUint32();
    expect(x).toBe(new Generator(3).nextUint32());
  });

  it("bad seeds and bounds throw", () => {
    expect(() => new Generator(1.5)).toThrow("manualSeed: seed must be an integer, got 1.5");
    expect(() => new Generator(0).randint(3, 3)).toThrow("randint: high (3) must be greater than low (3)");
    expect(() => new Generator(0).setState({ mt: [1, 2], index: 0, seed: 0 })).toThrow(/expected 624 state words, got 2/);
  });

  it("uniforms stay in [0, 1) and randint in [low, high)", () => {
    const g = new Generator(8);
    for (let i = 0; i < 2000; i++) {
      const u = g.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const r = g.randint(-3, 4);
      expect(r >= -3 && r < 4 && Number.isInteger(r)).toBe(true);
    }
  });
});
