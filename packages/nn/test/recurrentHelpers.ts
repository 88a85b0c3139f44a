import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Tensor, tensor } from "@rnnkit/autograd";
import { fmt, setBackend, wasmBackend, type Backend, type BackendName } from "@rnnkit/tensor";
import { afterAll, beforeAll, describe } from "vitest";
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell, type Module } from "@rnnkit/nn";

/** A tensor as tools/parity/common.py writes it. */
export interface FixtureTensor {
  shape: number[];
  dtype: "float32" | "int32";
  data: (number | string)[];
}

/** The recurrent parity tolerance: |a − e| <= 1e-4 + 1e-3·|e|. */
export const RNN_TOL = { atol: 1e-4, rtol: 1e-3 } as const;

/** Reads a JSON file from packages/nn/test/fixtures/. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), "utf8")) as T;
}

/** Reads a binary file from packages/nn/test/fixtures/. */
export function loadBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));
}

function decode(v: number | string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw new Error(`fixture: unknown value ${JSON.stringify(v)}`);
}

/** An rnnkit tensor with a fixture tensor's values, shape and dtype. */
export function fromFixture(t: FixtureTensor, opts: { requiresGrad?: boolean } = {}): Tensor {
  const values = t.data.map(decode);
  const data = t.dtype === "int32" ? Int32Array.from(values) : Float32Array.from(values);
  return tensor(data, { shape: t.shape, dtype: t.dtype, requiresGrad: opts.requiresGrad ?? false });
}

/** Fixture tensors by name as rnnkit tensors (a state dict). */
export function stateDictFrom(sd: Record<string, FixtureTensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, fromFixture(v)]));
}

/**
 * Throws unless `actual` has the fixture's shape and dtype and values within `tol`
 * (exact for int32; `{ atol: 0, rtol: 0 }` asks for bit-equal float32).
 */
export function expectClose(actual: Tensor | null | undefined, expected: FixtureTensor, what: string, tol: { atol: number; rtol: number } = RNN_TOL): void {
  if (!actual) throw new Error(`${what}: missing (expected shape ${fmt(expected.shape)})`);
  if (fmt(actual.shape) !== fmt(expected.shape)) throw new Error(`${what}: shape ${fmt(actual.shape)}, expected ${fmt(expected.shape)}`);
  if (actual.dtype !== expected.dtype) throw new Error(`${what}: dtype ${actual.dtype}, expected ${expected.dtype}`);
  const a = actual.data();
  const e = expected.data.map(decode);
  const exact = expected.dtype === "int32";
  let worst = 0;
  let at = -1;
  for (let i = 0; i < e.length; i++) {
    const ai = a[i]!;
    const ei = exact ? e[i]! : Math.fround(e[i]!);
    const excess = Number.isNaN(ei) ? (Number.isNaN(ai) ? 0 : Infinity) : Math.abs(ai - ei) - (exact ? 0 : tol.atol + tol.rtol * Math.abs(ei));
    if ((excess > 0 || Number.isNaN(excess)) && (at < 0 || !(excess <= worst))) {
      worst = excess;
      at = i;
    }
  }
  if (at >= 0) throw new Error(`${what}: value ${a[at]} at flat index ${at} differs from expected ${e[at]} (shape ${fmt(expected.shape)})`);
}

/** Any recurrent module or cell, built from a fixture's kind and camelCase options. */
export type RecurrentModule = RNN | LSTM | GRU | RNNCell | LSTMCell | GRUCell;

/** Builds the rnnkit module a fixture case describes (options are already camelCase). */
export function buildModule(kind: string, inputSize: number, hiddenSize: number, options: Record<string, unknown>): RecurrentModule {
  const o = options as never;
  switch (kind) {
    case "RNN":
      return new RNN(inputSize, hiddenSize, o);
    case "LSTM":
      return new LSTM(inputSize, hiddenSize, o);
    case "GRU":
      return new GRU(inputSize, hiddenSize, o);
    case "RNNCell":
      return new RNNCell(inputSize, hiddenSize, o);
    case "LSTMCell":
      return new LSTMCell(inputSize, hiddenSize, o);
    case "GRUCell":
      return new GRUCell(inputSize, hiddenSize, o);
    default:
      throw new Error(`buildModule: unknown kind ${kind}`);
  }
}

/** Every parameter's gradient checked against `grads` (torch names). */
export function expectParamGrads(m: Module, grads: Record<string, FixtureTensor>, what: string): void {
  for (const [name, p] of m.namedParameters()) {
    const g = grads[name];
    if (!g) throw new Error(`${what}: fixture has no gradient for ${name}`);
    expectClose(p.grad, g, `${what}: grad of ${name}`);
  }
}

/** The backends this runtime has: js always, wasm where WebAssembly SIMD exists. */
export const BACKENDS: BackendName[] = wasmBackend() ? ["js", "wasm"] : ["js"];

/** Registers `body`'s tests once under every available backend. */
export function describeEachBackend(title: string, body: () => void): void {
  describe.each(BACKENDS)(`${title} (%s backend)`, (name) => {
    let prev: Backend | undefined;
    beforeAll(() => {
      prev = setBackend(name);
    });
    afterAll(() => {
      if (prev) setBackend(prev);
    });
    body();
  });
}
