import { InvalidArgumentError } from "commander";

const DECIMAL_INT = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A decimal integer option (`--hidden 128`): refuses `0x10`, `1e3`, `1.5`, `''` and values
 * past 2^53 with a message that says why.
 * @example intArg("64") // 64
 */
export function intArg(value: string): number {
  const v = value.trim();
  if (!DECIMAL_INT.test(v)) {
    const why = /^[+-]?0[xob]/i.test(v) ? " (write it in decimal)" : DECIMAL_NUMBER.test(v) ? " (no fractions or exponents)" : "";
    throw new InvalidArgumentError(`expected an integer, got "${value}"${why}`);
  }
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected an integer of at most 2^53 - 1, got "${value}"`);
  return n === 0 ? 0 : n;
}

/**
 * A decimal number option (`--lr 3e-3`, `--dropout .1`): refuses hex, `Infinity`, `NaN` and `''`.
 * @example numArg("1e-3") // 0.001
 */
export function numArg(value: string): number {
  const v = value.trim();
  if (!DECIMAL_NUMBER.test(v)) throw new InvalidArgumentError(`expected a decimal number, got "${value}"`);
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a finite number, got "${value}"`);
  return n === 0 ? 0 : n;
}

const MAX_SEED = 2n ** 64n - 1n;

/**
 * A random seed, 0 ≤ seed < 2^64 as torch's `manual_seed` takes it. The generator uses the seed's
 * low 32 bits (as torch's mt19937 does), so a seed past 2^53 is kept as its value modulo 2^32.
 * @example seedArg("18446744073709551615") // 4294967295
 */
export function seedArg(value: string): number {
  const v = value.trim();
  if (!/^\+?\d+$/.test(v)) throw new InvalidArgumentError(`expected a non-negative decimal integer, got "${value}"`);
  const big = BigInt(v.replace(/^\+/, ""));
  if (big > MAX_SEED) throw new InvalidArgumentError("a seed must be below 2^64 = 18446744073709551616");
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number(big % 2n ** 32n) : Number(big);
}
