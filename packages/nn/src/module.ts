import { noGrad, Tensor } from "@rnnkit/autograd";
import { fmt } from "@rnnkit/tensor";
import { Parameter } from "./parameter.js";

/** Result of `loadStateDict`: keys the module has that the dict lacked, and the reverse. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * Base class of every layer. Parameters and submodules are found on the instance's own
 * properties in assignment order (as torch registers them), so a subclass only assigns:
 * `this.weight = new Parameter(...)`, `this.rnn = new LSTM(...)`. Properties set to null
 * (an absent bias) are skipped. Buffers (saved, not trained) go through `registerBuffer`.
 * @example
 * class Net extends Module {
 *   fc = new Linear(4, 2);
 *   forward(x: Tensor) { return this.fc.forward(x).relu(); }
 * }
 */
export abstract class Module {
  /** True in training mode (dropout active), false after `eval()`. */
  training = true;
  private readonly bufferNames = new Set<string>();
  private readonly nonPersistent = new Set<string>();
  /**
   * Names that have held a parameter or submodule, in the order first assigned; null for
   * rnnkit's own layers, which assign in declaration order (property order is then right).
   */
  private readonly memberOrder: string[] | null = null;

  constructor() {
    // rnnkit's layers skip the proxy: reads through a proxy are not inline-cached, and a
    // recurrent layer's forward reads its members on every step.
    if (OWN_LAYERS.has(new.target)) return;
    (this as unknown as { memberOrder: string[] }).memberOrder = [];
    // A subclass's `this` is this proxy, so every assignment (`this.fc = …`, class fields too)
    // passes its defineProperty trap: members are ordered by first assignment, as torch's
    // __setattr__ registers them, not by where a TypeScript class declares the field.
    return new Proxy(this, MEMBER_TRAPS);
  }

  abstract forward(...args: never[]): unknown;

  /**
   * Registers a saved, non-trained tensor under `name` and sets it as a property; later
   * assignments to that property replace the buffer. Non-persistent buffers stay out of `stateDict()`.
   * @example this.registerBuffer("runningMean", zeros([n]));
   */
  registerBuffer(name: string, value: Tensor | null, opts: { persistent?: boolean } = {}): void {
    checkName(this, name, "registerBuffer", this.bufferNames.has(name));
    if (value !== null && !(value instanceof Tensor)) {
      throw new Error(`registerBuffer: buffer "${name}" must be a Tensor or null`);
    }
    if (value instanceof Parameter) throw new Error(`registerBuffer: "${name}" is a Parameter; assign it as a property instead`);
    this.bufferNames.add(name);
    if (opts.persistent === false) this.nonPersistent.add(name);
    else this.nonPersistent.delete(name);
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /**
   * Sets a parameter (or null for an absent one) under `name`, as `this[name] = p` does.
   * @example this.registerParameter("bias", null);
   */
  registerParameter(name: string, param: Parameter | null): void {
    checkName(this, name, "registerParameter", (this as unknown as Record<string, unknown>)[name] instanceof Parameter);
    if (param !== null && !(param instanceof Parameter)) {
      throw new Error(`registerParameter: "${name}" must be a Parameter or null`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** Sets a submodule under `name`, as `this[name] = m` does (torch's add_module). */
  addModule(name: string, module: Module | null): void {
    checkName(this, name, "addModule", (this as unknown as Record<string, unknown>)[name] instanceof Module);
    if (module !== null && !(module instanceof Module)) throw new Error(`addModule: "${name}" must be a Module or null`);
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  /** This module's own buffers (not its children's) that are currently tensors. */
  private ownBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const k of this.bufferNames) {
      const v = (this as unknown as Record<string, unknown>)[k];
      if (v instanceof Tensor) out.push([k, v]);
    }
    return out;
  }

  /** Direct submodules with their property names, in registration order. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    const self = this as unknown as Record<string, unknown>;
    for (const k of this.memberOrder ?? Object.keys(this)) {
      const v = self[k];
      if (v instanceof Module) out.push([k, v]);
    }
    return out;
  }
  /** Direct submodules in registration order. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }
  /** This module and every descendant, with dotted names ("" for this one). */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [k, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${k}` : k));
    return out;
  }
  /** This module and every descendant, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own parameters (not its children's), in registration order. */
  private ownParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const self = this as unknown as Record<string, unknown>;
    for (const k of this.memberOrder ?? Object.keys(this)) {
      const v = self[k];
      if (v instanceof Parameter && !this.bufferNames.has(k)) out.push([k, v]);
    }
    return out;
  }

  /** Parameters with PyTorch's dotted names (`rnn.weight_ih_l0`); shared ones listed once. */
  namedParameters(prefix = "", recurse = true): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [mp, m] of mods) {
      for (const [k, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([mp ? `${mp}.${k}` : k, p]);
      }
    }
    return out;
  }
  /** Every parameter of this module and (with `recurse`) its descendants, each once. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }
  /** Buffers of this module and its descendants with dotted names. */
  namedBuffers(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [mp, m] of this.namedModules(prefix)) {
      for (const [k, b] of m.ownBuffers()) out.push([mp ? `${mp}.${k}` : k, b]);
    }
    return out;
  }
  /** Every buffer of this module and its descendants. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Sets `requiresGrad` on every parameter (freezing with `false`). */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /** Sets training mode here and in every descendant. */
  train(mode = true): this {
    if (typeof mode !== "boolean") throw new Error(`train: training mode is expected to be boolean, got ${String(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter (to null by default, as torch 2.x). */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone || p.grad === null) p.grad = null;
      else p.grad.zero_();
    }
  }

  /** Calls `fn` on every descendant then on this module (torch.nn.Module.apply). */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Parameters and persistent buffers by PyTorch name, detached (the values are shared). */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [k, t] of this.stateEntries()) out[k] = t.detach();
    return out;
  }

  /**
   * Copies values from `sd` into parameters and buffers by name. With `strict` (the default),
   * missing or unexpected keys are an error; a shape mismatch is always an error.
   */
  loadStateDict(sd: Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadResult {
    if (typeof sd !== "object" || sd === null || Array.isArray(sd) || sd instanceof Tensor) {
      const got = sd === null ? "null" : Array.isArray(sd) ? "an array" : sd instanceof Tensor ? "a Tensor" : typeof sd;
      throw new Error(`loadStateDict: expected a state dict (an object of name → Tensor, e.g. from stateDict() or loadSafetensors(bytes).tensors), got ${got}`);
    }
    const strict = opts.strict ?? true;
    const own = new Map<string, Tensor>(this.stateEntries());
    const missingKeys = [...own.keys()].filter((k) => !Object.hasOwn(sd, k));
    const unexpectedKeys = Object.keys(sd).filter((k) => !own.has(k));
    const errors: string[] = [];
    if (strict) {
      if (missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}`);
      if (unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}`);
    }
    for (const [k, t] of own) {
      const src = sd[k];
      if (!Object.hasOwn(sd, k) || src === undefined) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`for ${k}: expected a Tensor in the state dict, got ${typeof src}`);
      } else if (src.shape.length !== t.shape.length || src.shape.some((s, i) => s !== t.shape[i])) {
        errors.push(`size mismatch for ${k}: copying a param with shape ${fmt(src.shape)} from checkpoint, the shape in current model is ${fmt(t.shape)}`);
      }
    }
    if (errors.length) {
      throw new Error(`loadStateDict: error(s) in loading state_dict for ${this.constructor.name}:\n  ${errors.join("\n  ")}`);
    }
    noGrad(() => {
      for (const [k, t] of own) {
        const src = sd[k];
        if (Object.hasOwn(sd, k) && src instanceof Tensor) t.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Parameters and persistent buffers of the whole tree by dotted name, in torch's state-dict order. */
  private stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [mp, m] of this.namedModules()) {
      for (const [k, p] of m.ownParameters()) out.push([mp ? `${mp}.${k}` : k, p]);
      for (const [k, b] of m.ownBuffers()) if (!m.nonPersistent.has(k)) out.push([mp ? `${mp}.${k}` : k, b]);
    }
    return out;
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel(), 0);
  }

  /** The settings shown inside this module's parentheses by `toString()` (torch's extra_repr). */
  extraRepr(): string {
    return "";
  }

  /**
   * torch's module printout: the class name, `extraRepr()`, and each child indented as `(name): …`.
   * @example String(new Sequential(new Linear(4, 2), new ReLU()))
   * // Sequential(\n  (0): Linear(in_features=4, out_features=2, bias=True)\n  (1): ReLU()\n)
   */
  toString(): string {
    const children = this.namedChildren().map(([k, m]) => `(${k}): ${String(m).split("\n").join("\n  ")}`);
    const extra = this.extraRepr();
    const lines = [...(extra ? extra.split("\n") : []), ...children];
    if (lines.length === 0) return `${this.constructor.name}()`;
    if (children.length === 0 && lines.length === 1) return `${this.constructor.name}(${extra})`;
    return `${this.constructor.name}(\n  ${lines.join("\n  ")}\n)`;
  }
}

/** rnnkit's own layer classes (see Module's constructor). */
const OWN_LAYERS = new WeakSet<abstract new (...args: never[]) => Module>();

/**
 * Marks rnnkit's layer classes, which assign their members in the order they declare them, so
 * their instances are plain objects rather than order-tracking proxies. Internal to @rnnkit/nn;
 * a user subclass of a marked class is not marked and is tracked.
 */
export function ownLayers(...classes: (abstract new (...args: never[]) => Module)[]): void {
  for (const c of classes) OWN_LAYERS.add(c);
}

/** Records a parameter or submodule name the first time one is assigned (see Module's constructor). */
const MEMBER_TRAPS: ProxyHandler<Module> = {
  defineProperty(target, key, desc) {
    if (typeof key === "string" && (desc.value instanceof Module || desc.value instanceof Parameter)) {
      const order = (target as unknown as { memberOrder: string[] }).memberOrder;
      if (!order.includes(key)) order.push(key);
    }
    return Reflect.defineProperty(target, key, desc);
  },
  deleteProperty(target, key) {
    if (typeof key === "string") {
      const order = (target as unknown as { memberOrder: string[] }).memberOrder;
      const at = order.indexOf(key);
      if (at >= 0) order.splice(at, 1);
    }
    return Reflect.deleteProperty(target, key);
  },
};

/** A number as Python prints a float (`1.0`, `0.5`), for `extraRepr`. */
export function pyFloat(v: number): string {
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** A boolean as Python prints it. */
export function pyBool(v: boolean): string {
  return v ? "True" : "False";
}

/** Rejects names that are empty, dotted, or already taken by another kind of member. */
function checkName(m: Module, name: string, op: string, sameKind: boolean): void {
  if (typeof name !== "string" || name === "" || name.includes(".")) {
    throw new Error(`${op}: name must be a non-empty string without ".", got "${String(name)}"`);
  }
  if (name in m && !sameKind && (m as unknown as Record<string, unknown>)[name] !== undefined) {
    throw new Error(`${op}: attribute "${name}" already exists on ${m.constructor.name}`);
  }
}
