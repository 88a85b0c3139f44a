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
  private readonly buffers = new Map<string, Tensor | null>();
  private readonly nonPersistent = new Set<string>();

  abstract forward(...args: never[]): unknown;

  /** Registers a saved, non-trained tensor under `name` (it is also set as a property). */
  registerBuffer(name: string, value: Tensor | null, opts: { persistent?: boolean } = {}): void {
    this.buffers.set(name, value);
    if (opts.persistent === false) this.nonPersistent.add(name);
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** Direct submodules with their property names, in registration order. */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [k, v] of Object.entries(this)) if (v instanceof Module) out.push([k, v]);
    return out;
  }
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }
  /** This module and every descendant, with dotted names ("" for this one). */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [k, m] of this.namedChildren()) out.push(...m.namedModules(prefix ? `${prefix}.${k}` : k));
    return out;
  }
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own parameters (not its children's), in registration order. */
  private ownParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [k, v] of Object.entries(this)) if (v instanceof Parameter) out.push([k, v]);
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
  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }
  namedBuffers(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [mp, m] of this.namedModules(prefix)) {
      for (const [k, b] of m.buffers) if (b) out.push([mp ? `${mp}.${k}` : k, b]);
    }
    return out;
  }

  /** Sets training mode here and in every descendant. */
  train(mode = true): this {
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
    for (const [mp, m] of this.namedModules()) {
      for (const [k, p] of m.ownParameters()) out[mp ? `${mp}.${k}` : k] = p.detach();
      for (const [k, b] of m.buffers) if (b && !m.nonPersistent.has(k)) out[mp ? `${mp}.${k}` : k] = b.detach();
    }
    return out;
  }

  /**
   * Copies values from `sd` into parameters and buffers by name. With `strict` (the default),
   * missing or unexpected keys are an error; a shape mismatch is always an error.
   */
  loadStateDict(sd: Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadResult {
    const strict = opts.strict ?? true;
    const own = new Map<string, Tensor>();
    for (const [mp, m] of this.namedModules()) {
      for (const [k, p] of m.ownParameters()) own.set(mp ? `${mp}.${k}` : k, p);
      for (const [k, b] of m.buffers) if (b && !m.nonPersistent.has(k)) own.set(mp ? `${mp}.${k}` : k, b);
    }
    const missingKeys = [...own.keys()].filter((k) => !(k in sd));
    const unexpectedKeys = Object.keys(sd).filter((k) => !own.has(k));
    const errors: string[] = [];
    for (const [k, t] of own) {
      const src = sd[k];
      if (!src) continue;
      if (src.shape.length !== t.shape.length || src.shape.some((s, i) => s !== t.shape[i])) {
        errors.push(`size mismatch for ${k}: copying a param with shape ${fmt(src.shape)}, the shape in the current model is ${fmt(t.shape)}`);
      }
    }
    if (strict) {
      if (missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(", ")}`);
      if (unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}`);
    }
    if (errors.length) {
      throw new Error(`loadStateDict: error(s) in loading state_dict for ${this.constructor.name}:\n  ${errors.join("\n  ")}`);
    }
    noGrad(() => {
      for (const [k, t] of own) {
        const src = sd[k];
        if (src) t.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel(), 0);
  }
}
