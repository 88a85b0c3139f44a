import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Tensor, tensor } from "@rnnkit/autograd";
import { expect } from "vitest";

/** A tensor as tools/parity/common.py writes it. */
export interface FT {
  shape: number[];
  dtype: "float32" | "int32";
  data: (number | string)[];
}

/** Reads packages/nn/test/fixtures/nn_layers.json (cached). */
let cached: unknown = null;
export function nnLayersFixture<T>(): T {
  cached ??= JSON.parse(readFileSync(fileURLToPath(new URL("./fixtures/nn_layers.json", import.meta.url)), "utf8"));
  return cached as T;
}

function num(v: number | string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  return v === "Infinity" ? Infinity : -Infinity;
}

/** An rnnkit tensor with a fixture tensor's values. */
export function ft(t: FT, requiresGrad = false): Tensor {
  const data = t.dtype === "int32" ? Int32Array.from(t.data.map(num)) : Float32Array.from(t.data.map(num));
  return tensor(data, { shape: t.shape, dtype: t.dtype, requiresGrad });
}

/** Asserts equal shape and values within |a − e| ≤ atol + rtol·|e|, naming `what` and the worst element. */
export function expectClose(actual: Tensor | null, expected: FT, what: string, atol = 1e-6, rtol = 0): void {
  expect(actual, `${what}: missing`).not.toBeNull();
  const a = actual!;
  expect([...a.shape], `${what}: shape`).toEqual(expected.shape);
  const av = a.data();
  const ev = expected.data.map(num);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < ev.length; i++) {
    const excess = Math.abs(av[i]! - ev[i]!) - (atol + rtol * Math.abs(ev[i]!));
    if (!(excess <= worst) && !(Object.is(av[i], ev[i]) || av[i] === Math.fround(ev[i]!))) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      at = i;
    }
  }
  expect(at, `${what}: element ${at} is ${av[at]}, expected ${ev[at]}`).toBe(-1);
}
