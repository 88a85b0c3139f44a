import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { get as httpGet, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs helper without types
import { startStaticServer } from "../scripts/staticServer.mjs";

let server: Server;
let url: string;
const js = `export const x = ${JSON.stringify("rnnkit ".repeat(2000))};\n`;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "playground-serve-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(join(dir, "app.js"), js);
  ({ server, url } = (await startStaticServer(pathToFileURL(`${dir}/`), 0)) as { server: Server; url: string });
});
afterAll(() => new Promise((r) => server.close(r)));

describe("static server (scripts/serve.mjs)", () => {
  it("sends the cross-origin-isolation headers, so the page gets worker threads", async () => {
    const res = await fetch(url);
    expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(res.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(await res.text()).toContain("<title>t</title>");
  });

  it("compresses text with brotli or gzip as the client accepts, and sends it plain otherwise", async () => {
    const gz = await rawGet("app.js", "gzip");
    expect(gz.encoding).toBe("gzip");
    expect(gz.bytes.length).toBeLessThan(js.length / 10);
    expect(gunzipSync(gz.bytes).toString()).toBe(js);
    const br = await rawGet("app.js", "br, gzip");
    expect(br.encoding).toBe("br");
    expect(brotliDecompressSync(br.bytes).toString()).toBe(js);
    const plain = await rawGet("app.js", "identity");
    expect(plain.encoding).toBeUndefined();
    expect(plain.bytes.toString()).toBe(js);
  });
});

/** The body as sent (no automatic decoding) and its content-encoding. */
function rawGet(path: string, acceptEncoding: string): Promise<{ encoding: string | undefined; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(`${url}${path}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ encoding: res.headers["content-encoding"], bytes: Buffer.concat(parts) }));
    }).on("error", reject);
  });
}
