import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tensor } from "@rnnkit/autograd";
import { allclose, decodeNumber, expectTensorClose, fromFixture, loadFixture, type FixtureTensor } from "./helpers.js";
import { OPS, runCase, type ParityCase } from "./parityOps.js";

// The harness must fail when rnnkit disagrees with a fixture, or the parity suites prove nothing.
const FILES = readdirSync(fileURLToPath(new URL("./fixtures/", import.meta.url))).filter((f) => /^ops_\w+\.json$/.test(f));
const all = FILES.flatMap((f) => loadFixture<{ cases: ParityCase[] }>(f).cases);
const byName = (name: string): ParityCase => {
  const c = all.find((k) => k.name === name);
  if (!c) throw new Error(`no fixture case ${name}`);
  return structuredClone(c);
};
const bump = (t: FixtureTensor, i: number, delta: number): void => {
  t.data[i] = decodeNumber(t.data[i]!) + delta;
};

describe("parity harness", () => {
  it("maps every fixture op to an rnnkit call", () => {
    const missing = [...new Set(all.map((c) => c.op))].filter((op) => !(op in OPS));
    expect(missing).toEqual([]);
    expect(FILES.length).toBeGreaterThanOrEqual(11);
    expect(all.length).toBeGreaterThan(1400);
  });

  it("runs every ops fixture file in some parity test file", () => {
    const dir = fileURLToPath(new URL("./", import.meta.url));
    const registered = readdirSync(dir)
      .filter((f) => /^parity\w+\.test\.ts$/.test(f))
      .flatMap((f) => [...readFileSync(`${dir}${f}`, "utf8").matchAll(/parityTests\("(ops_\w+\.json)"/g)].map((m) => m[1]));
    expect([...registered].sort()).toEqual([...FILES].sort());
  });

  it("fails on a wrong forward value beyond tolerance", () => {
    const c = byName("matmul_2d_2d");
    bump(c.out[0]!, 3, 1e-3);
    expect(() => runCase(c)).toThrow(/matmul_2d_2d output 0: value .* at flat index 3/);
  });

  it("fails on a wrong gradient", () => {
    const c = byName("mul_size1_both");
    bump(c.grads[1]!, 2, 0.01);
    expect(() => runCase(c)).toThrow(/grad of input 1: value .* at flat index 2/);
  });

  it("fails on a wrong shape or dtype", () => {
    const c = byName("sum_1_kd0");
    c.out[0]!.shape = [...c.out[0]!.shape, 1];
    expect(() => runCase(c)).toThrow(/shape \[2, 4\], expected \[2, 4, 1\]/);
    const d = byName("argmax_1_kd0");
    d.out[0]!.dtype = "float32";
    expect(() => runCase(d)).toThrow(/dtype int32, expected float32/);
  });

  it("compares integer outputs exactly", () => {
    const c = byName("argmax_ties");
    bump(c.out[0]!, 0, 1);
    expect(() => runCase(c)).toThrow(/argmax_ties output 0/);
  });

  it("fails when a gradient that torch computes is missing", () => {
    const c = byName("relu_2d");
    c.gout = [null];
    expect(() => runCase(c)).toThrow(/requiresGrad/);
  });

  it("allclose: atol + rtol * |expected|, NaN matches NaN, infinities must be equal", () => {
    expect(allclose([1.00001, 100.009], [1, 100]).ok).toBe(true);
    expect(allclose([1.0002], [1]).ok).toBe(false);
    expect(allclose([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity]).ok).toBe(true);
    expect(allclose([Infinity], [-Infinity]).ok).toBe(false);
    expect(allclose([1e30], [Infinity]).ok).toBe(false);
    expect(allclose([0], [NaN]).ok).toBe(false);
    expect(allclose([1, 2], [1]).ok).toBe(false);
  });

  it("decodes non-finite fixture values and builds tensors of the fixture dtype", () => {
    const t = fromFixture({ shape: [2, 2], dtype: "float32", data: [1, "NaN", "Infinity", "-Infinity"] });
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data())).toEqual([1, NaN, Infinity, -Infinity]);
    const i = fromFixture({ shape: [3], dtype: "int32", data: [1, -2, 3] });
    expect(i.dtype).toBe("int32");
    expect(() => decodeNumber("nan")).toThrow(/unknown fixture value "nan"/);
    expect(() => expectTensorClose(tensor([1, 2]), { shape: [2], dtype: "float32", data: [1, 2.1] }, "probe")).toThrow(
      "probe: value 2 at flat index 1 differs from expected 2.1 (shape [2])",
    );
  });
});
