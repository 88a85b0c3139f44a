/**
 * `rk.io`: safetensors checkpoints, byte-compatible with Python's `safetensors.torch`.
 * @example
 * const bytes = rk.io.saveSafetensors(model.stateDict(), { note: "hello" });
 * model.loadStateDict(rk.io.loadSafetensors(bytes).tensors);
 */
export { saveSafetensors, loadSafetensors, readSafetensorsHeader, type SafetensorsHeader, type SafetensorsTensorInfo } from "@rnnkit/autograd";
