import { describe, expect, it } from "vitest";
import * as ag from "@rnnkit/autograd";

// Every public Tensor method and top-level function, called with wrong kinds of arguments
// (null, undefined, strings, objects, arrays, NaN, fractions, negatives, booleans, int32
// tensors) in each of the first three positions, either works or throws an Error that starts
// with the op's name: never an internal TypeError or RangeError.

const BAD: unknown[] = [null, undefined, "a", {}, [1, 2], NaN, 1.5, -7, true];
/** TypeScript-private helpers of Tensor (not callable from typed code). */
const PRIVATE = new Set(["constructor", "fillRandom_", "newFilled", "inPlace"]);
/** Functions that run user callbacks, and the helpers for writing new ops (needsGrad, freshGrad, sumToShape). */
const SKIP_FNS = new Set(["noGrad", "enableGrad", "withGradMode", "defineOp", "record", "runBackward", "gradcheck", "needsGrad", "freshGrad", "sumToShape"]);

function clear(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) return false;
  return /^[\w.]+: /.test(e.message) || e.message.startsWith("Tensor used as a JavaScript number");
}

function probe(call: (args: unknown[]) => unknown, lead: unknown[]): string[] {
  const bad: string[] = [];
  for (const v of BAD) {
    for (let pos = 0; pos < 3; pos++) {
      const args = [...lead.slice(0, pos), v];
      try {
        call(args);
      } catch (e) {
        if (!clear(e)) bad.push(`arg ${pos} = ${JSON.stringify(v) ?? String(v)}: ${(e as Error).constructor.name}: ${(e as Error).message}`);
      }
    }
  }
  return bad;
}

describe("wrong argument kinds give errors that name the op", () => {
  const methods = Object.getOwnPropertyNames(ag.Tensor.prototype).filter((n) => {
    const d = Object.getOwnPropertyDescriptor(ag.Tensor.prototype, n);
    return !PRIVATE.has(n) && typeof d?.value === "function";
  });
  it.each(methods)("Tensor.%s", (name) => {
    const fn = (ag.Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
    expect(probe((args) => fn.apply(ag.randn([2, 3]), args), [0, 0, 0])).toEqual([]);
  });
  const fns = Object.entries(ag).filter(([n, f]) => typeof f === "function" && /^[a-z]/.test(n) && !SKIP_FNS.has(n));
  it.each(fns.map(([n]) => n))("%s", (name) => {
    const fn = (ag as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
    expect(probe((args) => fn(...args), [ag.randn([2, 3]), 0, 0])).toEqual([]);
  });
});
