import { defaultGenerator, Generator } from "@rnnkit/tensor";

/**
 * A random permutation of `0..n-1` drawn exactly as torch 1.13's CPU `torch.randperm(n, generator=g)`:
 * for i = 0..n-2, swap r[i] with r[i + random() % (n - i)], one 32-bit draw each.
 * @example permutation(10, new Generator(0)) // [4, 1, 7, 5, 3, 9, 0, 8, 6, 2], as torch
 */
export function permutation(n: number, generator: Generator = defaultGenerator): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`permutation: n must be a non-negative integer, got ${n}`);
  const r = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n - 1; i++) {
    const z = generator.nextUint32() % (n - i);
    const t = r[i]!;
    r[i] = r[i + z]!;
    r[i + z] = t;
  }
  return r;
}

/**
 * Draws the 64-bit seed torch takes from `generator` with `torch.empty((), dtype=int64).random_()`
 * and returns a fresh generator seeded with it (torch seeds mt19937 from the low 32 bits).
 */
export function spawnGenerator(generator: Generator = defaultGenerator): Generator {
  generator.nextUint32();
  return new Generator(generator.nextUint32());
}

/** Consumes one 64-bit draw, as torch's DataLoader does for its worker base seed on every pass. */
export function skipSeedDraw(generator: Generator = defaultGenerator): void {
  generator.nextUint32();
  generator.nextUint32();
}
