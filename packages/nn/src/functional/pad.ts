import { cat, full, type Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/**
 * Constant padding: `pad` lists `(left, right)` amounts from the last dim backwards (torch.nn.functional.pad);
 * negative amounts crop. Any shape → the padded shape.
 * @example pad(zeros([2, 3]), [1, 2]).shape // [2, 6]; pad(x, [0, 0, 1, 1], { value: -1 })
 */
export function pad(x: Tensor, padding: readonly number[], opts: { mode?: "constant"; value?: number } = {}): Tensor {
  const mode = opts.mode ?? "constant";
  if (mode !== "constant") throw new Error(`pad: only mode "constant" is supported, got ${String(mode)}`);
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim || !padding.every(Number.isInteger)) {
    throw new Error(`pad: padding must be integer (left, right) pairs for at most ${x.ndim} dims, got [${padding.join(", ")}] for shape ${fmt(x.shape)}`);
  }
  const value = opts.value ?? 0;
  let out = x;
  for (let k = 0; k < padding.length / 2; k++) {
    const d = x.ndim - 1 - k;
    const left = padding[2 * k]!;
    const right = padding[2 * k + 1]!;
    const size = out.shape[d]!;
    const newSize = size + left + right;
    if (newSize < 0) {
      throw new Error(`pad: padding [${padding.join(", ")}] gives a negative size ${newSize} for dim ${d} of shape ${fmt(x.shape)}`);
    }
    const cropL = Math.max(-left, 0);
    const cropR = Math.max(-right, 0);
    if (cropL || cropR) out = out.narrow(d, Math.min(cropL, size), Math.max(size - cropL - cropR, 0));
    const parts: Tensor[] = [];
    const side = (n: number): Tensor => full(out.shape.map((s, i) => (i === d ? n : s)), value, { dtype: x.dtype });
    if (left > 0) parts.push(side(left));
    parts.push(out);
    if (right > 0) parts.push(side(right));
    if (parts.length > 1) out = cat(parts, d);
  }
  return out;
}
