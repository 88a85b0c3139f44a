import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { broadcastShapes, numel } from "@rnnkit/tensor";
import { tensor, type Tensor } from "../src/index.js";

/** A float32 tensor of small integers (sums stay exact in float32). */
const intValued = (shape: number[], seed: number): Tensor => {
  const data = Float32Array.from({ length: numel(shape) }, (_, i) => ((i * 7919 + seed * 104729) % 19) - 9);
  return tensor(data, { shape });
};

/** Reference multi-index → flat row-major offset for `shape`, reading broadcast dims at 0. */
function bcastOffset(outIdx: number[], shape: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  let off = 0;
  for (let d = 0; d < shape.length; d++) off = off * shape[d]! + (shape[d] === 1 ? 0 : outIdx[d + lead]!);
  return off;
}
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = numel(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

/** An output shape plus two shapes that broadcast to it (dims dropped from the left or set to 1). */
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((out) =>
    fc.tuple(
      fc.constant(out),
      fc.integer({ min: 0, max: out.length }),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    ),
  )
  .map(([out, dropA, dropB, onesA, onesB]) => {
    const a = out.slice(dropA).map((s, i) => (onesA[i + dropA] ? 1 : s));
    const b = out.slice(dropB).map((s, i) => (onesB[i + dropB] ? 1 : s));
    return { a, b };
  });

/** torch's rule, written independently: right-align, each pair equal or one of them 1. */
function torchBroadcast(a: number[], b: number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(Math.max(x, y) === 1 ? 1 : x === 1 ? y : x);
  }
  return out;
}

describe("property: broadcasting", () => {
  it("result shape follows torch's rule, and a + b equals expand-then-add", () => {
    fc.assert(
      fc.property(broadcastPair, fc.integer({ min: 0, max: 50 }), ({ a, b }, seed) => {
        const out = torchBroadcast(a, b)!;
        expect(broadcastShapes(a, b, "add")).toEqual(out);
        const x = intValued(a, seed);
        const y = intValued(b, seed + 1);
        const sum = x.add(y);
        expect(sum.shape).toEqual(out);
        const explicit = x.expand(out).contiguous().add(y.expand(out).contiguous());
        expect(Array.from(sum.data())).toEqual(Array.from(explicit.data()));
        for (const idx of indices(out)) {
          const k = bcastOffset(idx, out);
          expect(sum.data()[k]).toBe(x.data()[bcastOffset(idx, a)]! + y.data()[bcastOffset(idx, b)]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("any incompatible pair throws naming both shapes", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 }), (rest, p, q) => {
        fc.pre(p !== q);
        const a = [...rest, p];
        const b = [q];
        expect(() => intValued(a, 1).mul(intValued(b, 2))).toThrow(`mul: shapes [${a.join(", ")}] and [${q}] cannot be broadcast`);
      }),
      { numRuns: 30 },
    );
  });

  it("the gradient of a broadcast add sums back to each input's shape", () => {
    fc.assert(
      fc.property(broadcastPair, fc.integer({ min: 0, max: 50 }), ({ a, b }, seed) => {
        const out = torchBroadcast(a, b)!;
        const x = intValued(a, seed).requiresGrad_();
        const y = intValued(b, seed + 3).requiresGrad_();
        const w = intValued(out, seed + 7);
        x.add(y).mul(w).sum().backward();
        const wantA = new Array<number>(numel(a)).fill(0);
        const wantB = new Array<number>(numel(b)).fill(0);
        const wd = w.data();
        for (const idx of indices(out)) {
          const k = bcastOffset(idx, out);
          wantA[bcastOffset(idx, a)]! += wd[k]!;
          wantB[bcastOffset(idx, b)]! += wd[k]!;
        }
        expect(x.grad!.shape).toEqual(a);
        expect(y.grad!.shape).toEqual(b);
        expect(Array.from(x.grad!.data())).toEqual(wantA);
        expect(Array.from(y.grad!.data())).toEqual(wantB);
      }),
      { numRuns: 60 },
    );
  });
});

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
const withPerm = shapeArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.keys()], { minLength: s.length, maxLength: s.length })));

describe("property: views", () => {
  it("permute gives x[perm-index]; its inverse round-trips; reshape equals reshape of a contiguous copy", () => {
    fc.assert(
      fc.property(withPerm, ([shape, perm]) => {
        const x = intValued(shape, 5);
        const p = x.permute(perm);
        expect(p.shape).toEqual(perm.map((d) => shape[d]!));
        const xs = x.data();
        const pd = p.data();
        let k = 0;
        for (const idx of indices(p.shape)) {
          const src = new Array<number>(shape.length);
          perm.forEach((d, i) => (src[d] = idx[i]!));
          expect(pd[k++]).toBe(xs[bcastOffset(src, shape)]);
        }
        const inv = new Array<number>(perm.length);
        perm.forEach((d, i) => (inv[d] = i));
        expect(p.permute(inv).toArray()).toEqual(x.toArray());
        expect(p.reshape(-1).toArray()).toEqual(p.contiguous().reshape(-1).toArray());
        expect(p.contiguous().view(-1).toArray()).toEqual(Array.from(pd));
      }),
      { numRuns: 80 },
    );
  });

  it("transpose twice, narrow and expand agree with a contiguous copy", () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), fc.nat(), fc.nat(), (shape, r0, r1, r2) => {
        const x = intValued(shape, 9);
        const d0 = r0 % shape.length;
        const d1 = r1 % shape.length;
        expect(x.transpose(d0, d1).transpose(d0, d1).toArray()).toEqual(x.toArray());
        const size = shape[d0]!;
        const start = r2 % size;
        const len = size - start;
        const n = x.narrow(d0, start, len);
        expect(n.toArray()).toEqual(x.contiguous().narrow(d0, start, len).contiguous().toArray());
        const t = x.transpose(d0, d1);
        expect(t.narrow(d1, 0, 1).toArray()).toEqual(t.contiguous().narrow(d1, 0, 1).toArray());
        const e = x.unsqueeze(0).expand(2, ...shape);
        expect(e.select(0, 1).toArray()).toEqual(x.toArray());
        expect(e.contiguous().select(0, 0).toArray()).toEqual(x.toArray());
      }),
      { numRuns: 80 },
    );
  });

  it("view succeeds exactly when the strides allow it, and then matches reshape", () => {
    fc.assert(
      fc.property(withPerm, ([shape, perm]) => {
        const p = intValued(shape, 2).permute(perm);
        if (p.value.isContiguous()) {
          expect(p.view(-1).toArray()).toEqual(p.reshape(-1).toArray());
        } else {
          expect(() => p.view(-1)).toThrow(/view: size \[\d+\] is not compatible with input of shape/);
          expect(p.reshape(-1).toArray()).toEqual(p.contiguous().view(-1).toArray());
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("property: reductions", () => {
  const dimsArb = shapeArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.keys()], { minLength: 1 })));

  it("sum over dims in any order, or one at a time, equals the sum over those dims and over all", () => {
    fc.assert(
      fc.property(dimsArb, ([shape, dims]) => {
        const x = intValued(shape, 4);
        const sorted = [...dims].sort((a, b) => a - b);
        expect(x.sum(dims).toArray()).toEqual(x.sum(sorted).toArray());
        let step = x;
        for (const d of [...sorted].reverse()) step = step.sum(d);
        expect(step.toArray()).toEqual(x.sum(sorted).toArray());
        expect(x.sum(dims).sum().item()).toBe(x.sum().item());
        expect(x.sum(dims, true).shape).toEqual(shape.map((s, i) => (dims.includes(i) ? 1 : s)));
      }),
      { numRuns: 80 },
    );
  });

  it("mean × count = sum", () => {
    fc.assert(
      fc.property(dimsArb, ([shape, dims]) => {
        const x = intValued(shape, 6);
        const count = dims.reduce((n, d) => n * shape[d]!, 1);
        const m = x.mean(dims).mul(count).data();
        const s = x.sum(dims).data();
        m.forEach((v, i) => expect(v).toBeCloseTo(s[i]!, 4));
      }),
      { numRuns: 80 },
    );
  });

  it("max along a dim is ≥ every element, is attained, and argmax picks it", () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), fc.integer({ min: 0, max: 30 }), (shape, r, seed) => {
        const x = intValued(shape, seed);
        const d = r % shape.length;
        const [values, indices_] = x.max(d, true);
        expect(x.le(values).data().every((v) => v === 1)).toBe(true);
        expect(x.gather(d, indices_).toArray()).toEqual(values.toArray());
        expect(x.argmax(d, true).toArray()).toEqual(indices_.toArray());
        expect(x.max().item()).toBe(Math.max(...x.data()));
        const flat = x.argmax().item();
        expect(x.data()[flat]).toBe(x.max().item());
        // Ties take the first index, as torch.
        expect(Array.from(x.data()).indexOf(x.max().item())).toBe(flat);
      }),
      { numRuns: 80 },
    );
  });
});
