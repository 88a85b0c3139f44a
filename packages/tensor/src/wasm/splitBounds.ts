/**
 * Cuts `0..size` into at most `parts` near-equal pieces whose inner boundaries are multiples of
 * `unit` (a micro-kernel's tile edge), dropping empty pieces: `[0, b1, …, size]`.
 * @example splitBounds(100, 2, 8) // [0, 48, 100]
 */
export function splitBounds(size: number, parts: number, unit: number): number[] {
  const out = [0];
  for (let p = 1; p < parts; p++) {
    const b = Math.round((size * p) / parts / unit) * unit;
    if (b > out[out.length - 1]! && b < size) out.push(b);
  }
  out.push(size);
  return out;
}
