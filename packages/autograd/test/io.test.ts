import { describe, expect, it } from "vitest";
import { loadSafetensors, saveSafetensors, tensor } from "../src/index.js";

describe("saveSafetensors / loadSafetensors", () => {
  it("round-trips a state dict with metadata; loaded tensors are leaves without grad", () => {
    const w = tensor([[0.5, -1.25], [3, 4]], { requiresGrad: true });
    w.mul(2).sum().backward();
    const sd = { "rnn.weight_ih_l0": w, "rnn.bias_ih_l0": tensor([1, 2]), ids: tensor([3, -4], { dtype: "int32" }) };
    const bytes = saveSafetensors(sd, { config: '{"hiddenSize":2}' });
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(metadata).toEqual({ config: '{"hiddenSize":2}' });
    expect(tensors["rnn.weight_ih_l0"]!.toArray()).toEqual([[0.5, -1.25], [3, 4]]);
    expect(tensors["rnn.weight_ih_l0"]!.requiresGrad).toBe(false);
    expect(tensors["rnn.weight_ih_l0"]!.grad).toBeNull();
    expect(tensors.ids!.dtype).toBe("int32");
    expect(tensors.ids!.toArray()).toEqual([3, -4]);
    expect(tensors["rnn.bias_ih_l0"]!.dtype).toBe("float32");
  });

  it("saves the values of non-contiguous views, not their storage", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]).transpose(0, 1).narrow(0, 1, 2);
    expect(loadSafetensors(saveSafetensors({ x })).tensors.x!.toArray()).toEqual([[2, 5], [3, 6]]);
  });

  it("rejects non-tensors and truncated input with clear errors", () => {
    expect(() => saveSafetensors({ a: [1, 2] as unknown as ReturnType<typeof tensor> })).toThrow(/saveSafetensors: record\["a"\] is not a Tensor/);
    const bytes = saveSafetensors({ a: tensor([1, 2, 3]) });
    expect(() => loadSafetensors(bytes.subarray(0, bytes.length - 4))).toThrow(/decodeSafetensors/);
  });
});
