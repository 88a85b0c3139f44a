import { describe, expect, it } from "vitest";
import { Tensor } from "@rnnkit/autograd";
import { expectTensorClose, loadFixture, type FixtureTensor } from "./helpers.js";
import { baseValues, operand, OPS, torchErrorCore, VIEWS } from "./inplaceCases.js";

interface Case {
  view: string;
  op: string;
  through: { base: FixtureTensor; view: FixtureTensor; baseVersion: number; viewVersion: number };
  back: { view: FixtureTensor };
  grad: { a: FixtureTensor; base: FixtureTensor; other: FixtureTensor | null } | { error: string };
}

const { cases } = loadFixture<{ cases: Case[] }>("inplace_views.json");

// Every view kind × every in-place op against torch (tools/parity/inplace.py): writes through
// the view reach the base, writes to the base reach the view, versions are shared, and in the
// graph the gradients (CopySlices) or the refusal are torch's.
describe("views write through, both ways, with torch's versions and gradients", () => {
  it("covers every view and op of the fixture", () => {
    expect(cases.length).toBe(Object.keys(VIEWS).length * Object.keys(OPS).length);
  });
  for (const c of cases) {
    const view = VIEWS[c.view]!;
    const op = OPS[c.op]!;
    it(`${c.view}.${c.op}`, () => {
      const base = baseValues();
      const v = view(base);
      op.run(v, operand(v.shape, 1));
      expectTensorClose(base, c.through.base, "base after the write through the view");
      expectTensorClose(v, c.through.view, "view after its write");
      expect([base.version, v.version]).toEqual([c.through.baseVersion, c.through.viewVersion]);

      const base2 = baseValues();
      const v2 = view(base2);
      op.run(base2, op.takes ? operand(base2.shape, 1) : null);
      expectTensorClose(v2, c.back.view, "view after a write to its base");

      const a = baseValues().requiresGrad_();
      const other = op.takes ? operand(v.shape, 1).requiresGrad_() : null;
      const run = (): Tensor => {
        const x = a.mul(1.5);
        const vv = view(x);
        op.run(vv, other);
        x.mul(operand(x.shape, 3)).sum().add(vv.mul(operand(vv.shape, 2)).sum()).backward();
        return x;
      };
      if ("error" in c.grad) {
        expect(run).toThrow(torchErrorCore(c.grad.error));
        return;
      }
      const x = run();
      expectTensorClose(x, c.grad.base, "base values in the graph");
      expectTensorClose(a.grad!, c.grad.a, "gradient of the base's source");
      if (c.grad.other) expectTensorClose(other!.grad!, c.grad.other, "gradient of the op's operand");
    });
  }
});
