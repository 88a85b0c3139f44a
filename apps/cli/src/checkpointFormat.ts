import * as rk from "rnnkit";

/**
 * Metadata keys of an rnnkit checkpoint's `__metadata__` (all values are strings; structured
 * ones are JSON). Documented in apps/cli/README.md so PyTorch code can write them too.
 */
export const META = {
  /** `rnnkit.charlm` or `rnnkit.classifier`. */
  format: "format",
  /** JSON model configuration (see `CharLMConfig` / `ClassifierConfig`). */
  config: "config",
  /** JSON array of the vocabulary's characters in id order. */
  vocab: "vocab",
  /** Classifiers: JSON array of the label names in class order. */
  labels: "labels",
  /** JSON training summary (epochs, steps, losses, time). */
  summary: "summary",
} as const;

/** Checkpoint format name of character language models. */
export const CHARLM_FORMAT = "rnnkit.charlm";
/** Checkpoint format name of word classifiers. */
export const CLASSIFIER_FORMAT = "rnnkit.classifier";

/** Tensor-name prefix of the optimizer state (`optim.state.0.exp_avg`). */
export const OPTIM_PREFIX = "optim.";
/** Prefix of the other resume state: metadata keys and the carried recurrent state tensors. */
export const TRAIN_PREFIX = "train.";

/** True for tensors that hold training state rather than model parameters. */
export function isTrainingStateKey(name: string): boolean {
  return name.startsWith(OPTIM_PREFIX) || name.startsWith(TRAIN_PREFIX);
}

/** A JSON value whose tensor leaves were moved out under a name (see `packTensors`). */
export type Packed = null | boolean | number | string | Packed[] | { [k: string]: Packed };

/**
 * Splits a nested value (an optimizer `stateDict()`, say) into JSON plus named tensors:
 * each Tensor leaf becomes `{ "$tensor": name }` with `name = prefix + path`.
 * @example packTensors({ state: { 0: { exp_avg: t } } }, "optim.", out) // out["optim.state.0.exp_avg"] = t
 */
export function packTensors(value: unknown, prefix: string, out: Record<string, rk.Tensor>, path = ""): Packed {
  if (value instanceof rk.Tensor) {
    const name = `${prefix}${path}`;
    out[name] = value.detach();
    return { $tensor: name };
  }
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    // JSON has no Infinity/NaN; keep them as tagged strings.
    return Number.isFinite(value) ? value : { $number: String(value) };
  }
  if (typeof value === "boolean" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v, i) => packTensors(v, prefix, out, path ? `${path}.${i}` : String(i)));
  if (value instanceof Map) {
    const o: { [k: string]: Packed } = {};
    for (const [k, v] of value) o[String(k)] = packTensors(v, prefix, out, path ? `${path}.${String(k)}` : String(k));
    return { $map: o };
  }
  if (typeof value === "object") {
    const o: { [k: string]: Packed } = {};
    for (const [k, v] of Object.entries(value)) o[k] = packTensors(v, prefix, out, path ? `${path}.${k}` : k);
    return o;
  }
  throw new Error(`packTensors: cannot save a value of type ${typeof value} at ${prefix}${path}`);
}

/** The inverse of `packTensors`. */
export function unpackTensors(value: Packed, tensors: Record<string, rk.Tensor>): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => unpackTensors(v, tensors));
  const tag = value["$tensor"];
  if (typeof tag === "string" && Object.keys(value).length === 1) {
    const t = tensors[tag];
    if (!t) throw new Error(`checkpoint: training state tensor "${tag}" is missing`);
    return t;
  }
  const num = value["$number"];
  if (typeof num === "string" && Object.keys(value).length === 1) return Number(num);
  const map = value["$map"];
  if (map !== undefined && map !== null && typeof map === "object" && !Array.isArray(map) && Object.keys(value).length === 1) {
    const m = new Map<string | number, unknown>();
    for (const [k, v] of Object.entries(map)) m.set(/^\d+$/.test(k) ? Number(k) : k, unpackTensors(v, tensors));
    return m;
  }
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) o[k] = unpackTensors(v, tensors);
  return o;
}
