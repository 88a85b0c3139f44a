/**
 * A small validator for the JSON inside checkpoint metadata: each check either returns the
 * value typed or throws a SchemaError naming the field (`config.hidden`) and what was expected.
 */
export class SchemaError extends Error {
  constructor(readonly field: string, readonly expected: string, readonly got: unknown) {
    super(expected === "present" ? `${field} is missing` : `${field} must be ${expected}, got ${show(got)}`);
    this.name = "SchemaError";
  }
}

/** A value for a message: JSON, cut short. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? "nothing" : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Checks `v` found at `field`; returns it typed. */
export type Check<T> = (v: unknown, field: string) => T;

/** An integer in `[min, max]`. */
export function int(min: number, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (v, field) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) throw new SchemaError(field, `an integer in [${min}, ${max}]`, v);
    return v;
  };
}

/** A finite number in `[min, max]` (`max` excluded when `maxOpen`). */
export function num(min = -Infinity, max = Infinity, maxOpen = false): Check<number> {
  return (v, field) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (maxOpen && v === max)) {
      throw new SchemaError(field, `a finite number in [${min}, ${max}${maxOpen ? ")" : "]"}`, v);
    }
    return v;
  };
}

/** One of the strings `values`. */
export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v, field) => {
    if (typeof v !== "string" || !(values as readonly string[]).includes(v)) throw new SchemaError(field, `one of ${values.join(", ")}`, v);
    return v as T;
  };
}

/** A boolean. */
export const bool: Check<boolean> = (v, field) => {
  if (typeof v !== "boolean") throw new SchemaError(field, "true or false", v);
  return v;
};

/** A string (non-empty unless `allowEmpty`). */
export function str(allowEmpty = false): Check<string> {
  return (v, field) => {
    if (typeof v !== "string" || (!allowEmpty && v === "")) throw new SchemaError(field, allowEmpty ? "a string" : "a non-empty string", v);
    return v;
  };
}

/** `null` or what `check` accepts. */
export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, field) => (v === null ? null : check(v, field));
}

/** An array of `check`ed items, with `length` items when given. */
export function arrayOf<T>(check: Check<T>, length?: number): Check<T[]> {
  return (v, field) => {
    if (!Array.isArray(v)) throw new SchemaError(field, length === undefined ? "an array" : `an array of ${length} items`, v);
    if (length !== undefined && v.length !== length) throw new SchemaError(field, `an array of ${length} items`, `${v.length} items`);
    return v.map((item, i) => check(item, `${field}[${i}]`));
  };
}

/** The checked fields of an object. */
export type Shape<T> = { [K in keyof T]: Check<T[K]> };

/**
 * An object with the fields of `shape` (each checked); fields named in `optional` may be
 * absent (they come back `undefined`). Other fields are ignored.
 */
export function obj<T>(shape: Shape<T>, optional: readonly (keyof T)[] = []): Check<T> {
  return (v, field) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new SchemaError(field, "an object", v);
    const out = {} as T;
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      if (!Object.prototype.hasOwnProperty.call(o, key)) {
        if (optional.includes(key)) continue;
        throw new SchemaError(`${field}.${key}`, "present", undefined);
      }
      out[key] = shape[key](o[key], `${field}.${key}`);
    }
    return out;
  };
}
