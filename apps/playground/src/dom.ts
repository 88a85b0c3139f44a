/** Small DOM helpers shared by the page's modules. */

/** `document.createElement(tag)` with properties and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...kids);
  return e;
}

/** Offers `bytes` as a download named `name`. */
export function downloadBytes(bytes: Uint8Array | string, name: string, mime = "application/octet-stream"): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The text of a dropped or chosen file, or an Error for binary content (invalid UTF-8 or NUL
 * bytes), which would otherwise train on garbage.
 */
export async function readTextFile(f: Blob & { name?: string }): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  const name = f.name ? `${f.name} ` : "The file ";
  if (bytes.includes(0)) throw new Error(`${name}is a binary file, not text; drop or paste plain text (UTF-8).`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name}is not UTF-8 text; drop or paste plain text.`);
  }
}
