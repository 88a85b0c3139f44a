/** A JSON-like value that `pyLiteral` can write. */
export type PyValue = null | boolean | number | string | readonly PyValue[] | { readonly [k: string]: PyValue };

/**
 * The Python source of a JSON-like value: `None`/`True`/`False`, `float("inf")` for
 * infinities, strings as JSON string literals (valid Python for every code point).
 * @example pyLiteral({ a: [1, null, true] }) // '{"a": [1, None, True]}'
 */
export function pyLiteral(value: PyValue, indent = ""): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return 'float("nan")';
    if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : '-float("inf")';
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly PyValue[]).map((v) => pyLiteral(v, indent)).join(", ")}]`;
  const entries = Object.entries(value as { readonly [k: string]: PyValue });
  if (entries.length === 0) return "{}";
  const inner = `${indent}    `;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyLiteral(v, inner)},`).join("\n")}\n${indent}}`;
}
