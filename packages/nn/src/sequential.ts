import type { Tensor } from "@rnnkit/autograd";
import { Module, ownLayers } from "./module.js";

type Forwardable = { forward(input: unknown): unknown };

/** Shared storage of the containers: modules live on properties "0", "1", … (or given names). */
abstract class ModuleContainer extends Module {
  /** The contained modules in order. */
  protected items(): Module[] {
    return this.children();
  }

  /** Number of contained modules. */
  get length(): number {
    return this.namedChildren().length;
  }

  /** The module at position `index` (negative counts from the end). */
  at(index: number): Module {
    const items = this.items();
    const i = index < 0 ? index + items.length : index;
    const m = items[i];
    if (!Number.isInteger(index) || m === undefined) {
      throw new Error(`${this.constructor.name}.at: index ${index} is out of range for ${items.length} modules`);
    }
    return m;
  }

  /** Iterates over the contained modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.items()[Symbol.iterator]();
  }

  /** Re-registers `modules` under "0", "1", … in order (after an insert). */
  protected renumber(modules: readonly Module[]): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [k] of this.namedChildren()) delete self[k];
    modules.forEach((m, i) => this.addModule(String(i), m));
  }

  protected checkModule(m: unknown, op: string): Module {
    if (!(m instanceof Module)) throw new Error(`${this.constructor.name}.${op}: expected a Module, got ${m === null ? "null" : typeof m}`);
    return m;
  }

  /** Adds `module` at the end, named by its position. */
  append(module: Module): this {
    this.addModule(String(this.length), this.checkModule(module, "append"));
    return this;
  }

  /** Appends every module of `modules`. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `module` before position `index` (negative counts from the end). */
  insert(index: number, module: Module): this {
    const items = this.items();
    const n = items.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(index) || i < 0 || i > n) {
      throw new Error(`${this.constructor.name}.insert: index ${index} is out of range for ${n} modules`);
    }
    items.splice(i, 0, this.checkModule(module, "insert"));
    this.renumber(items);
    return this;
  }
}

/**
 * Runs modules one after another, each output feeding the next. Children are named "0", "1", …
 * (so parameters are `0.weight`, `2.bias` as in torch), or by the keys of one object argument.
 * @example
 * const net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * net.forward(randn([3, 4])).shape; // [3, 2]
 */
export class Sequential extends ModuleContainer {
  constructor(...modules: Module[] | [Record<string, Module>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first !== undefined && !(first instanceof Module) && typeof first === "object") {
      for (const [name, m] of Object.entries(first)) this.addModule(name, this.checkModule(m, "constructor"));
    } else {
      (modules as unknown[]).forEach((m, i) => this.addModule(String(i), this.checkModule(m, "constructor")));
    }
  }

  /** Feeds `input` through every module in order. */
  forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this.items()) x = (m as unknown as Forwardable).forward(x);
    return x as Tensor;
  }

  /** A new Sequential of the modules in `[start, end)` (shared, not copied), as `seq[start:end]`. */
  slice(start?: number, end?: number): Sequential {
    return new Sequential(...this.items().slice(start, end));
  }
}

/**
 * A list of submodules whose parameters are registered ("0.weight", "1.weight", …), for layers
 * built in a loop. It has no forward of its own: iterate over it. Typed by its module class `M`.
 * @example
 * const layers = new ModuleList([new Linear(4, 4), new Linear(4, 4)]); // ModuleList<Linear>
 * for (const l of layers) x = l.forward(x);
 */
export class ModuleList<M extends Module = Module> extends ModuleContainer {
  constructor(modules: Iterable<M> = []) {
    super();
    this.extend(modules);
  }

  /** The module at position `index` (negative counts from the end). */
  override at(index: number): M {
    return super.at(index) as M;
  }

  /** Iterates over the contained modules in order. */
  override [Symbol.iterator](): Iterator<M> {
    return super[Symbol.iterator]() as Iterator<M>;
  }

  /** Adds `module` at the end, named by its position. */
  override append(module: M): this {
    return super.append(module);
  }

  /** Appends every module of `modules`. */
  override extend(modules: Iterable<M>): this {
    return super.extend(modules);
  }

  /** Inserts `module` before position `index` (negative counts from the end). */
  override insert(index: number, module: M): this {
    return super.insert(index, module);
  }

  /** Replaces the module at `index`. */
  set(index: number, module: M): this {
    const items = this.items();
    const i = index < 0 ? index + items.length : index;
    if (!Number.isInteger(index) || i < 0 || i >= items.length) {
      throw new Error(`ModuleList.set: index ${index} is out of range for ${items.length} modules`);
    }
    items[i] = this.checkModule(module, "set");
    this.renumber(items);
    return this;
  }

  forward(): never {
    throw new Error("ModuleList.forward: a ModuleList has no forward; iterate over its modules instead");
  }
}

ownLayers(Sequential, ModuleList);
