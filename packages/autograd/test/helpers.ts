import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fmt } from "@rnnkit/tensor";
import { Tensor, tensor } from "@rnnkit/autograd";

/**
 * A tensor as the parity scripts write it (tools/parity/common.py): flat row-major data;
 * non-finite floats appear as the strings "NaN", "Infinity" and "-Infinity".
 */
export interface FixtureTensor {
  shape: number[];
  dtype: "float32" | "int32";
  data: (number | string)[];
}

/** float32 tolerances used by the parity tests: |a - e| <= atol + rtol * |e|. */
export const F32_TOL = { atol: 1e-5, rtol: 1e-4 } as const;

/**
 * Reads a JSON fixture. `name` is relative to `base` (a directory URL or file URL), by default
 * this package's `test/fixtures/`.
 * @example const { cases } = loadFixture<{ cases: Case[] }>("ops_unary.json");
 */
export function loadFixture<T>(name: string, base: string | URL = new URL("./fixtures/", import.meta.url)): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(name, base)), "utf8")) as T;
}

/** A fixture number or one of the non-finite strings as a JS number. */
export function decodeNumber(v: number | string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw new Error(`decodeNumber: unknown fixture value ${JSON.stringify(v)}`);
}

/** The flat values of a fixture tensor. */
export function decodeData(t: FixtureTensor): number[] {
  return t.data.map(decodeNumber);
}

/** An rnnkit tensor holding a fixture tensor's values, shape and dtype. */
export function fromFixture(t: FixtureTensor, opts: { requiresGrad?: boolean } = {}): Tensor {
  const data = t.dtype === "int32" ? Int32Array.from(decodeData(t)) : Float32Array.from(decodeData(t));
  return tensor(data, { shape: t.shape, dtype: t.dtype, requiresGrad: opts.requiresGrad ?? false });
}

/** Where two flat arrays differ beyond tolerance (NaN matches NaN, ±Infinity must match exactly). */
export interface CloseReport {
  ok: boolean;
  worst: number;
  index: number;
  actual: number;
  expected: number;
}

/** Compares `actual` with `expected` elementwise: |a - e| <= atol + rtol * |e|. */
export function allclose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number = F32_TOL.atol, rtol: number = F32_TOL.rtol): CloseReport {
  let report: CloseReport = { ok: actual.length === expected.length, worst: 0, index: -1, actual: NaN, expected: NaN };
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let excess: number;
    if (Number.isNaN(e) || Number.isNaN(a)) excess = Number.isNaN(e) && Number.isNaN(a) ? 0 : Infinity;
    else if (!Number.isFinite(e) || !Number.isFinite(a)) excess = a === e ? 0 : Infinity;
    else excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (excess > 0 && (report.ok || excess > report.worst)) {
      report = { ok: false, worst: excess, index: i, actual: a, expected: e };
    }
  }
  return report;
}

/**
 * Asserts that `actual` has the fixture's shape and dtype and matching values: exact for int32,
 * within `tol` (default F32_TOL) for float32. Throws an Error naming `what` and the first
 * worst mismatch.
 */
export function expectTensorClose(actual: Tensor, expected: FixtureTensor, what: string, tol: { atol: number; rtol: number } = F32_TOL): void {
  if (fmt(actual.shape) !== fmt(expected.shape)) {
    throw new Error(`${what}: shape ${fmt(actual.shape)}, expected ${fmt(expected.shape)}`);
  }
  if (actual.dtype !== expected.dtype) {
    throw new Error(`${what}: dtype ${actual.dtype}, expected ${expected.dtype}`);
  }
  const exact = expected.dtype === "int32";
  const r = allclose(Array.from(actual.data()), decodeData(expected), exact ? 0 : tol.atol, exact ? 0 : tol.rtol);
  if (!r.ok) {
    throw new Error(`${what}: value ${r.actual} at flat index ${r.index} differs from expected ${r.expected} (shape ${fmt(expected.shape)})`);
  }
}
