import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tensor, type Tensor } from "@rnnkit/autograd";
import { expect } from "vitest";

/** A tensor as the parity scripts write it (NaN is written as null). */
export interface FixtureTensor {
  shape: number[];
  dtype: "float32" | "int32";
  data: (number | null)[];
}

/** Reads `test/fixtures/<name>.json`. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url)), "utf8")) as T;
}

/** A fixture tensor as an rnnkit Tensor. */
export function toTensor(t: FixtureTensor, requiresGrad = false): Tensor {
  return tensor(t.dtype === "int32" ? Int32Array.from(t.data, (v) => v ?? 0) : Float32Array.from(t.data, (v) => v ?? NaN), { shape: t.shape, dtype: t.dtype, requiresGrad });
}

/** Asserts shape and values match within `atol + rtol·|expected|` (NaN matches NaN). */
export function expectClose(actual: Tensor, expected: FixtureTensor, label: string, rtol = 1e-5, atol = 1e-5): void {
  expect([...actual.shape], `${label}: shape`).toEqual(expected.shape);
  const a = actual.data();
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i] ?? NaN;
    const v = a[i]!;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(v), `${label}[${i}]: expected NaN, got ${v}`).toBe(true);
      continue;
    }
    if (!(Math.abs(v - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${label}[${i}]: got ${v}, expected ${e}`);
    }
  }
}
