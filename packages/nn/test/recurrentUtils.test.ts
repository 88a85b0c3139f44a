import { describe, expect, it } from "vitest";
import { tensor, Tensor } from "@rnnkit/autograd";
import { utils } from "@rnnkit/nn";
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from "./recurrentHelpers.js";

interface PadCase {
  sequences: FixtureTensor[];
  batchFirst: boolean;
  paddingValue: number;
  padded: FixtureTensor;
  grad: FixtureTensor;
  grads: FixtureTensor[];
}
interface PackCase {
  input: FixtureTensor;
  lengths: number[];
  batchFirst: boolean;
  enforceSorted: boolean;
  totalLength: number | null;
  paddingValue: number;
  data: FixtureTensor;
  batchSizes: FixtureTensor;
  sortedIndices: FixtureTensor | null;
  unsortedIndices: FixtureTensor | null;
  padded: FixtureTensor;
  outLengths: FixtureTensor;
  gradData: FixtureTensor;
  gradPadded: FixtureTensor;
  grad: FixtureTensor;
}
interface PackSequenceCase {
  sequences: FixtureTensor[];
  enforceSorted: boolean;
  data: FixtureTensor;
  batchSizes: FixtureTensor;
  sortedIndices: FixtureTensor | null;
  unsortedIndices: FixtureTensor | null;
}
interface ClipNormCase {
  maxNorm: number;
  normType: number | "Infinity";
  grads: FixtureTensor[];
  clipped: FixtureTensor[];
  total: number;
}
interface ClipValueCase {
  clipValue: number;
  grads: FixtureTensor[];
  clipped: FixtureTensor[];
}
interface UtilsFixture {
  padSequence: PadCase[];
  pack: PackCase[];
  packSequence: PackSequenceCase[];
  clipGradNorm: ClipNormCase[];
  clipGradValue: ClipValueCase[];
}

const fx = loadFixture<UtilsFixture>("rnn_utils.json");
const { PackedSequence, padSequence, packPaddedSequence, padPackedSequence, packSequence, unpackSequence, unpadSequence } = utils.rnn;

function expectIndices(actual: Tensor | null, expected: FixtureTensor | null, what: string): void {
  if (expected) expectClose(actual, expected, what);
  else expect(actual, what).toBeNull();
}

describe("padSequence matches torch", () => {
  fx.padSequence.forEach((c, k) => {
    it(`case ${k} (batchFirst ${c.batchFirst}, paddingValue ${c.paddingValue})`, () => {
      const seqs = c.sequences.map((s) => fromFixture(s, { requiresGrad: true }));
      const padded = padSequence(seqs, { batchFirst: c.batchFirst, paddingValue: c.paddingValue });
      expectClose(padded, c.padded, "padded");
      padded.mul(fromFixture(c.grad)).sum().backward();
      seqs.forEach((s, i) => expectClose(s.grad, c.grads[i]!, `grad of sequence ${i}`));
    });
  });
});

describe("packPaddedSequence and padPackedSequence match torch", () => {
  fx.pack.forEach((c, k) => {
    it(`case ${k} (lengths [${c.lengths.join(", ")}], batchFirst ${c.batchFirst}, enforceSorted ${c.enforceSorted})`, () => {
      for (const lengths of [c.lengths, tensor(c.lengths, { dtype: "int32" })]) {
        const x = fromFixture(c.input, { requiresGrad: true });
        const packed = packPaddedSequence(x, lengths, { batchFirst: c.batchFirst, enforceSorted: c.enforceSorted });
        expect(packed).toBeInstanceOf(PackedSequence);
        expectClose(packed.data, c.data, "data");
        expectClose(packed.batchSizes, c.batchSizes, "batchSizes");
        expectIndices(packed.sortedIndices, c.sortedIndices, "sortedIndices");
        expectIndices(packed.unsortedIndices, c.unsortedIndices, "unsortedIndices");
        const [padded, outLengths] = padPackedSequence(packed, {
          batchFirst: c.batchFirst,
          paddingValue: c.paddingValue,
          ...(c.totalLength === null ? {} : { totalLength: c.totalLength }),
        });
        expectClose(padded, c.padded, "padded");
        expectClose(outLengths, c.outLengths, "lengths");
        packed.data.mul(fromFixture(c.gradData)).sum().add(padded.mul(fromFixture(c.gradPadded)).sum()).backward();
        expectClose(x.grad, c.grad, "grad of input");
      }
    });
  });
});

describe("packSequence matches torch", () => {
  fx.packSequence.forEach((c, k) => {
    it(`case ${k} (enforceSorted ${c.enforceSorted})`, () => {
      const seqs = c.sequences.map((s) => fromFixture(s));
      const p = packSequence(seqs, { enforceSorted: c.enforceSorted });
      expectClose(p.data, c.data, "data");
      expectClose(p.batchSizes, c.batchSizes, "batchSizes");
      expectIndices(p.sortedIndices, c.sortedIndices, "sortedIndices");
      expectIndices(p.unsortedIndices, c.unsortedIndices, "unsortedIndices");
      const back = unpackSequence(p);
      back.forEach((s, i) => expectClose(s, c.sequences[i]!, `unpacked sequence ${i}`));
    });
  });
});

describe("clipGradNorm and clipGradValue match torch", () => {
  fx.clipGradNorm.forEach((c, k) => {
    it(`clipGradNorm case ${k} (maxNorm ${c.maxNorm}, normType ${c.normType})`, () => {
      const params = c.grads.map((g) => {
        const p = fromFixture(g, { requiresGrad: true });
        p.grad = fromFixture(g);
        return p;
      });
      const total = utils.clipGradNorm(params, c.maxNorm, c.normType === "Infinity" ? Infinity : c.normType);
      expect(Math.abs(total - c.total)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(c.total)));
      params.forEach((p, i) => expectClose(p.grad, c.clipped[i]!, `clipped grad ${i}`));
    });
  });
  fx.clipGradValue.forEach((c, k) => {
    it(`clipGradValue case ${k} (clipValue ${c.clipValue})`, () => {
      const params = c.grads.map((g) => {
        const p = fromFixture(g, { requiresGrad: true });
        p.grad = fromFixture(g);
        return p;
      });
      utils.clipGradValue(params, c.clipValue);
      params.forEach((p, i) => expectClose(p.grad, c.clipped[i]!, `clipped grad ${i}`, { atol: 0, rtol: 0 }));
    });
  });

  it("skips parameters without a gradient and returns 0 when none has one", () => {
    const a = tensor([3, 4], { requiresGrad: true });
    const b = tensor([1, 1], { requiresGrad: true });
    expect(utils.clipGradNorm([a, b], 1)).toBe(0);
    a.grad = tensor([3, 4]);
    expect(utils.clipGradNorm([a, b], 1)).toBeCloseTo(5, 5);
    expect(b.grad).toBeNull();
    expect(a.grad.toArray()).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]);
    expect(utils.clipGradNorm(a, 10)).toBeCloseTo(1, 5);
  });

  it("reports a non-finite norm when asked", () => {
    const a = tensor([1, NaN], { requiresGrad: true });
    a.grad = tensor([1, NaN]);
    expect(() => utils.clipGradNorm([a], 1, 2, { errorIfNonfinite: true })).toThrow(/clipGradNorm: the total norm of order 2 .* non-finite/);
  });
});

describe("utils.rnn round trips and edge cases", () => {
  it("unpadSequence undoes padSequence", () => {
    const seqs = [tensor([[1, 2], [3, 4], [5, 6]]), tensor([[7, 8]])];
    const back = unpadSequence(padSequence(seqs, { batchFirst: true }), [3, 1], { batchFirst: true });
    expect(back.map((s) => s.toArray())).toEqual(seqs.map((s) => s.toArray()));
  });

  it("packs the documented example", () => {
    const p = packSequence([tensor([1, 2, 3]), tensor([4, 5])]);
    expect(p.data.toArray()).toEqual([1, 4, 2, 5, 3]);
    expect(p.batchSizes.toArray()).toEqual([2, 2, 1]);
    expect(p.batchSizes.dtype).toBe("int32");
  });

  it("sorts ties stably like torch.sort on CPU", () => {
    const x = tensor([[1, 2, 3, 4]]);
    const p = packPaddedSequence(x, [1, 1, 1, 1], { enforceSorted: false });
    expect(p.sortedIndices!.toArray()).toEqual([0, 1, 2, 3]);
    expect(p.data.toArray()).toEqual([1, 2, 3, 4]);
  });
});
