import { describe, expect, it } from "vitest";
import { fmt } from "@rnnkit/tensor";
import { argsort, cumprod, cumsum, manualSeed, multinomial, rand, randint, sort, tensor, topk, zeros, type Tensor } from "@rnnkit/autograd";
import { expectTensorClose, fromFixture, loadFixture, type FixtureTensor } from "./helpers.js";

// sort / argsort / topk / cumsum / cumprod values and gradients, and torch's CPU random streams
// for multinomial, randint and the Tensor random fills (tools/parity/sort_scan_sample.py).

interface SortCase { op: "sort" | "argsort"; x: FixtureTensor; dim: number; descending: boolean; values?: FixtureTensor; indices: FixtureTensor }
interface GradCase { op?: string; x: FixtureTensor; g: FixtureTensor; grad: FixtureTensor; dim: number; descending?: boolean; k?: number; largest?: boolean; values?: FixtureTensor; indices?: FixtureTensor; out?: FixtureTensor }
interface Call { fn: string; out: FixtureTensor; [k: string]: unknown }
interface Fixture {
  sort: SortCase[];
  sortGrad: GradCase[];
  topk: GradCase[];
  scan: GradCase[];
  random: { seed: number; calls: Call[] }[];
  errors: { case: string; torch: string }[];
}
const fx = loadFixture<Fixture>("sort_scan_sample.json");

function label(c: { x: FixtureTensor; dim: number }, extra: string): string {
  return `${fmt(c.x.shape)} dim ${c.dim} ${extra}`;
}

/** Runs `fn` on the fixture input, back-propagates the fixture's upstream gradient, checks both. */
function checkGrad(c: GradCase, fn: (x: Tensor) => Tensor | [Tensor, Tensor], what: string): void {
  const x = fromFixture(c.x, { requiresGrad: true });
  const out = fn(x);
  const values = Array.isArray(out) ? out[0] : out;
  if (Array.isArray(out)) {
    expectTensorClose(values, c.values!, `${what} values`);
    expectTensorClose(out[1], c.indices!, `${what} indices`);
  } else {
    expectTensorClose(values, c.out!, `${what} out`);
  }
  values.backward(fromFixture(c.g));
  expectTensorClose(x.grad!, c.grad, `${what} grad`);
}

describe("parity with torch: sort and argsort (stable, NaN last)", () => {
  it.each(fx.sort.map((c) => [label(c, `${c.op}${c.descending ? " descending" : ""}`), c] as const))("%s", (_, c) => {
    const x = fromFixture(c.x);
    if (c.op === "sort") {
      const [v, i] = sort(x, { dim: c.dim, descending: c.descending, stable: true });
      expectTensorClose(v, c.values!, "values");
      expectTensorClose(i, c.indices, "indices");
      // The positional form and the method agree with the options form.
      expectTensorClose(x.sort(c.dim, c.descending)[1], c.indices, "method indices");
    } else {
      expectTensorClose(argsort(x, c.dim, c.descending), c.indices, "indices");
      expectTensorClose(x.argsort({ dim: c.dim, descending: c.descending }), c.indices, "method indices");
    }
  });
  it.each(fx.sortGrad.map((c) => [label(c, c.descending ? "descending" : ""), c] as const))("gradient %s", (_, c) => {
    checkGrad(c, (x) => sort(x, c.dim, c.descending), "sort");
  });
});

describe("parity with torch: topk", () => {
  it.each(fx.topk.map((c) => [label(c, `k ${c.k} ${c.largest ? "largest" : "smallest"}`), c] as const))("%s", (_, c) => {
    if (c.g === undefined) {
      const [v, i] = topk(fromFixture(c.x), c.k!, { dim: c.dim, largest: c.largest });
      expectTensorClose(v, c.values!, "values");
      expectTensorClose(i, c.indices!, "indices");
      return;
    }
    checkGrad(c, (x) => x.topk(c.k!, c.dim, c.largest), "topk");
  });
});

describe("parity with torch: cumsum and cumprod", () => {
  it.each(fx.scan.map((c) => [label(c, c.op!), c] as const))("%s", (_, c) => {
    const fn = c.op === "cumsum" ? cumsum : cumprod;
    if (c.g === undefined) {
      expectTensorClose(fn(fromFixture(c.x), c.dim), c.out!, c.op!);
      return;
    }
    checkGrad(c, (x) => fn(x, c.dim), c.op!);
  });
});

/** Replays one fixture call on rnnkit, drawing from the default generator. */
function replay(c: Call): Tensor {
  const shape = c.shape as number[];
  const dtype = (c.dtype as "int32" | undefined) ?? "float32";
  const blank = () => zeros(1).newZeros(shape, { dtype });
  switch (c.fn) {
    case "multinomial":
      return multinomial(tensor(c.p as number[]), c.n as number, c.replacement as boolean);
    case "exponential_":
      return blank().exponential_(c.lambd as number);
    case "uniform_":
      return blank().uniform_(c.from as number, c.to as number);
    case "normal_":
      return blank().normal_(c.mean as number, c.std as number);
    case "bernoulli_":
      return blank().bernoulli_(typeof c.p === "number" ? c.p : tensor(c.p as number[]));
    case "random_":
      if (c.from !== undefined) return blank().random_(c.from as number, c.to as number);
      return c.to !== undefined ? blank().random_(c.to as number) : blank().random_();
    case "randint":
      return c.low === undefined ? randint(c.high as number, shape) : randint(c.low as number, c.high as number, shape);
    case "rand":
      return rand(...shape);
    default:
      throw new Error(`unknown fixture call ${c.fn}`);
  }
}

describe("parity with torch: random streams (multinomial, randint, random fills)", () => {
  it.each(fx.random.map((s, i) => [`seed ${s.seed} #${i}: ${s.calls.map((c) => c.fn).join(", ")}`, s] as const))("%s", (_, s) => {
    manualSeed(s.seed);
    for (const c of s.calls) {
      // `blank()` draws nothing (newZeros), so only the op under test consumes the stream.
      const what = `${c.fn}(${JSON.stringify({ ...c, out: undefined, fn: undefined })})`;
      const got = replay(c);
      if (c.fn === "multinomial" && !c.replacement) {
        // Past a row's non-zero weights, torch fills in zero-weight categories in the order its
        // std::nth_element leaves tied keys; rnnkit takes them lowest index first.
        const rows = (Array.isArray((c.p as unknown[])[0]) ? c.p : [c.p]) as number[][];
        const n = c.n as number;
        const gotRows = got.reshape(rows.length, n).toArray() as number[][];
        rows.forEach((p, r) => {
          const nonZero = Math.min(n, p.filter((v) => v > 0).length);
          expect(gotRows[r]!.slice(0, nonZero), what).toEqual(c.out.data.slice(r * n, r * n + nonZero));
          expect(gotRows[r]!.slice(nonZero).every((i) => p[i] === 0), what).toBe(true);
        });
        continue;
      }
      expectTensorClose(got, c.out, what, { atol: 0, rtol: 1e-7 });
    }
  });
});

describe("multinomial and topk refuse what torch refuses, naming the op", () => {
  const msgs = Object.fromEntries(fx.errors.map((e) => [e.case, e.torch]));
  it("negative weights, zero rows, too many samples, k out of range", () => {
    expect(() => multinomial(tensor([0.5, -0.1]), 1)).toThrow(/^multinomial: probability tensor contains either inf, nan or element < 0/);
    expect(msgs.multinomial_negative).toContain("element < 0");
    expect(() => multinomial(tensor([0, 0]), 1)).toThrow(`multinomial: ${msgs.multinomial_zero_sum}`);
    expect(() => multinomial(tensor([0.5, 0.5]), 3)).toThrow(`multinomial: ${msgs.multinomial_too_many}`);
    expect(() => topk(tensor([1, 2, 3]), 4)).toThrow(`topk: ${msgs.topk_k_too_big}`);
    expect(() => multinomial(tensor([1, 2], { dtype: "int32" }), 1)).toThrow("multinomial: only supports floating-point dtypes");
    expect(() => multinomial(tensor([[[1]]]), 1)).toThrow("multinomial: prob_dist must be 1 or 2 dim, got shape [1, 1, 1]");
    expect(() => multinomial(tensor([1, 2]), 0)).toThrow("multinomial: numSamples must be a positive integer, got 0");
    expect(() => cumsum(tensor([1, 2]), undefined as unknown as number)).toThrow("cumsum: dim is required");
  });
});
