import { enableGrad, noGrad, Tensor } from "@rnnkit/autograd";
import { fmt, NDArray } from "@rnnkit/tensor";

/** A hyper-parameter value kept in a param group (`lr`, `betas`, `nesterov`, `initialLr`...). */
export type HyperValue = number | boolean | null | readonly number[];

/** Hyper-parameters by camelCase name. */
export type HyperParams = Record<string, HyperValue>;

/** A param group: its tensors and its hyper-parameters (camelCase; torch's snake_case when saved). */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  [key: string]: Tensor[] | HyperValue;
}

/** A param group as given to a constructor or `addParamGroup`: tensors plus option overrides. */
export interface ParamGroupSpec {
  params: readonly Tensor[];
  [key: string]: readonly Tensor[] | HyperValue | undefined;
}

/** What an optimizer remembers per parameter, under torch's keys (`step`, `exp_avg`, ...). */
export type ParamState = Record<string, Tensor | number | null>;

/** torch's optimizer state dict: state by parameter index, groups with snake_case keys and indices. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  param_groups: ({ params: number[] } & Record<string, HyperValue>)[];
}

/** camelCase → snake_case (`weightDecay` → `weight_decay`). */
export function toSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
/** snake_case → camelCase (`exp_avg` → `expAvg`). */
export function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The writable float32 storage of `t`, made contiguous first when it is a strided view. The
 * caller is about to write it in place: `t.version` goes up, named `op` (so a backward through a
 * graph built before an optimizer step raises, as torch's does).
 */
export function storage(t: Tensor, op = "optimizer.step"): Float32Array {
  const v = t.value;
  if (!(v.data instanceof Float32Array) || !v.isContiguous() || v.offset !== 0 || v.data.length !== v.size) {
    t.value = v.copy("float32");
  }
  t.incrementVersion(op);
  return t.value.data as Float32Array;
}

/** A zero (or `value`-filled) float32 tensor shaped like `p`, for per-parameter state. */
export function stateLike(p: Tensor, value = 0): Tensor {
  return new Tensor(NDArray.full(p.shape, value, "float32"));
}

/**
 * Base optimizer, as torch.optim.Optimizer: `paramGroups` with their hyper-parameters, lazily
 * created per-parameter `state` under torch's keys, `step`, `zeroGrad`, and a state dict in
 * torch's layout so training resumes exactly. Subclasses supply the defaults, the checks and
 * the per-group update.
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export abstract class Optimizer {
  /** The options given to the constructor, merged into every group that lacks them. */
  readonly defaults: HyperParams;
  readonly paramGroups: ParamGroup[] = [];
  /** Per-parameter state, created on the first step that sees a gradient. */
  readonly state = new Map<Tensor, ParamState>();

  constructor(params: readonly Tensor[] | readonly ParamGroupSpec[], defaults: HyperParams) {
    this.defaults = defaults;
    const list = paramList(params, this.constructor.name);
    if (list.length === 0) throw new Error(`${this.constructor.name}: optimizer got an empty parameter list`);
    const groups: ParamGroupSpec[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as ParamGroupSpec[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Checks a group's hyper-parameters (torch's "Invalid ... value" errors). */
  protected abstract validate(group: ParamGroup): void;
  /** Updates the parameters of one group in place from their `.grad`. */
  protected abstract updateGroup(group: ParamGroup): void;

  /** Adds a group; options it lacks come from `defaults`. A tensor may be in only one group. */
  addParamGroup(spec: ParamGroupSpec): void {
    const name = this.constructor.name;
    if (!Array.isArray(spec.params)) throw new Error(`${name}.addParamGroup: params must be an array of tensors`);
    const params = [...spec.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new Error(`${name}.addParamGroup: can only optimize Tensors, got ${typeof p}`);
      if (!p.isLeaf) throw new Error(`${name}.addParamGroup: can't optimize a non-leaf Tensor (shape ${fmt(p.shape)})`);
      if (p.dtype === "int32") throw new Error(`${name}.addParamGroup: can only optimize floating-point tensors, got int32 (shape ${fmt(p.shape)})`);
    }
    const group: Record<string, Tensor[] | HyperValue> = { params };
    for (const [k, v] of Object.entries(spec)) {
      if (k !== "params" && v !== undefined) group[k] = v as HyperValue;
    }
    for (const [k, v] of Object.entries(this.defaults)) {
      if (!(k in group)) {
        if (v === null && k === "lr") throw new Error(`${name}: parameter group didn't specify a value of required optimization parameter lr`);
        group[k] = v;
      }
    }
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    if (new Set(params).size !== params.length || params.some((p) => seen.has(p))) {
      throw new Error(`${name}.addParamGroup: some parameters appear in more than one parameter group`);
    }
    this.validate(group as ParamGroup);
    this.paramGroups.push(group as ParamGroup);
    this.initGroup(group as ParamGroup);
  }

  /**
   * Flags torch 1.13 keeps in every param group of this optimizer (`foreach`, `capturable`...)
   * that have no effect here; `stateDict()` writes them so the layout is torch's exactly.
   */
  protected torchFlags(): HyperParams {
    return {};
  }

  /** Called for each new group; optimizers with eager state (Adagrad) create it here. */
  protected initGroup(_group: ParamGroup): void {}

  /**
   * One optimization step over every group. `closure` (re-evaluating the loss, with gradients
   * enabled) is called first when given; its result is returned.
   */
  step(closure?: () => Tensor | number): Tensor | number | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() => {
      for (const g of this.paramGroups) this.updateGroup(g);
    });
    return loss;
  }

  /** Clears every parameter's gradient: to null (default), or to zeros in place. */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (setToNone || p.grad === null) {
          p.grad = null;
        } else {
          const g = p.grad;
          if (g.gradFn !== null) g.detach_();
          else g.requiresGrad = false;
          noGrad(() => g.zero_());
        }
      }
    }
  }

  /** The gradient of `p` as a contiguous flat array, checked against the parameter's shape. */
  protected gradData(p: Tensor, g: Tensor): ArrayLike<number> {
    if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i])) {
      throw new Error(`${this.constructor.name}.step: gradient of shape ${fmt(g.shape)} does not match its parameter's shape ${fmt(p.shape)}`);
    }
    return g.value.flat();
  }

  /** The state of `p`, created empty on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * torch's layout: `{ state: { [index]: {...} }, param_groups: [{ lr, ..., params: [indices] }] }`,
   * parameters numbered across groups in order. Tensors are copies.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const out: Record<string, HyperValue> = { ...this.torchFlags() };
      for (const [k, v] of Object.entries(g)) {
        if (k !== "params") out[toSnake(k)] = copyHyper(v as HyperValue);
      }
      const ids = g.params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p)!;
      });
      return { ...out, params: ids };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) copy[k] = v instanceof Tensor ? new Tensor(v.value.copy()) : v;
      state[i] = copy;
    }
    return { state, param_groups: paramGroups };
  }

  /** Restores hyper-parameters and state saved by `stateDict()` (or by torch, same layout). */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (sd.param_groups.length !== this.paramGroups.length) {
      throw new Error(`${name}.loadStateDict: loaded state dict has a different number of parameter groups (${sd.param_groups.length} vs ${this.paramGroups.length})`);
    }
    const byIndex = new Map<number, Tensor>();
    sd.param_groups.forEach((saved, gi) => {
      const group = this.paramGroups[gi]!;
      if (saved.params.length !== group.params.length) {
        throw new Error(
          `${name}.loadStateDict: loaded state dict contains a parameter group that doesn't match the size of optimizer's group ` +
            `(group ${gi}: ${saved.params.length} vs ${group.params.length} parameters)`,
        );
      }
      saved.params.forEach((id, j) => byIndex.set(id, group.params[j]!));
    });
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(id));
      if (!p) continue;
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor && v.ndim > 0 && (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i]))) {
          throw new Error(`${name}.loadStateDict: state "${k}" of parameter ${id} has shape ${fmt(v.shape)}, the parameter has shape ${fmt(p.shape)}`);
        }
      }
    }
    this.state.clear();
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(id));
      if (!p) continue;
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) copy[k] = v instanceof Tensor ? new Tensor(v.value.copy("float32")) : v;
      this.state.set(p, copy);
    }
    sd.param_groups.forEach((saved, gi) => {
      const group = this.paramGroups[gi]!;
      for (const [k, v] of Object.entries(saved)) {
        if (k !== "params") group[toCamel(k)] = copyHyper(v);
      }
    });
  }
}

/** A copy of a hyper-parameter, so saved dicts and groups never share arrays. */
function copyHyper(v: HyperValue): HyperValue {
  return Array.isArray(v) ? [...(v as readonly number[])] : v;
}

/** A numeric hyper-parameter of a group. */
export function num(group: ParamGroup, key: string): number {
  const v = group[key];
  if (typeof v !== "number") throw new Error(`optimizer: param group option ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}
/** A boolean hyper-parameter of a group. */
export function flag(group: ParamGroup, key: string): boolean {
  return group[key] === true;
}
/** The `[beta1, beta2]` pair of a group. */
export function betas(group: ParamGroup): [number, number] {
  const v = group.betas;
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "number" || typeof v[1] !== "number") {
    throw new Error(`optimizer: betas must be a pair of numbers, got ${JSON.stringify(v)}`);
  }
  return [v[0], v[1]];
}
/** Throws torch's `Invalid <what>: <value>` unless `ok`. */
export function check(name: string, ok: boolean, what: string, value: HyperValue | undefined): void {
  if (!ok) throw new Error(`${name}: Invalid ${what}: ${value}`);
}

/** The constructor's `params` as an array, with a clear error for a module or a single tensor. */
function paramList(params: unknown, name: string): (Tensor | ParamGroupSpec)[] {
  if (params instanceof Tensor) throw new Error(`${name}: params must be an array of tensors, got a single Tensor; pass [tensor]`);
  if (typeof params === "object" && params !== null && typeof (params as { parameters?: unknown }).parameters === "function") {
    throw new Error(`${name}: params must be an array of tensors or param groups, got a module (${params.constructor.name}); pass module.parameters()`);
  }
  if (typeof params !== "object" || params === null || typeof (params as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new Error(`${name}: params must be an array of tensors or param groups, got ${params === null ? "null" : typeof params}; e.g. new ${name}(model.parameters(), { lr: 0.01 })`);
  }
  const list = [...(params as Iterable<Tensor | ParamGroupSpec>)];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor) && (typeof p !== "object" || p === null || !("params" in p))) {
      throw new Error(`${name}: params[${i}] must be a Tensor or a param group { params, ... }, got ${p === null ? "null" : typeof p}`);
    }
  });
  return list;
}
