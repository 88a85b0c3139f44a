import { cat, needsGrad, record, Tensor, zeros } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";

/**
 * Splits `x` along `dim` into pieces of the given sizes, as one recorded node. A primitive for
 * speed: the backward is a single concatenation, where slicing each piece separately would
 * build (and sum) a full-size zero gradient per piece — quadratic over a long sequence.
 * @example splitAlong(gates, 1, [h, h, h, h]) // LSTM's i, f, g, o
 */
export function splitAlong(x: Tensor, dim: number, sizes: readonly number[]): Tensor[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (x.shape[dim] !== total) {
    throw new Error(`splitAlong: sizes ${fmt(sizes)} sum to ${total}, but dim ${dim} of shape ${fmt(x.shape)} has size ${x.shape[dim]}`);
  }
  const outs: Tensor[] = [];
  let at = 0;
  for (const s of sizes) {
    outs.push(new Tensor(x.value.narrow(dim, at, s)));
    at += s;
  }
  if (needsGrad([x]) && outs.length > 0) {
    record("splitAlong", [x], outs, (grads) => {
      const pieces = grads.map((g, i) => g ?? zeros(outs[i]!.shape, { dtype: x.dtype }));
      return [pieces.length === 1 ? pieces[0]! : cat(pieces, dim)];
    });
  }
  return outs;
}
