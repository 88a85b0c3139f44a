import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};
/** Types worth compressing (text and wasm; images are compressed already). */
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".map", ".wasm", ".svg", ".txt"]);

/**
 * Headers that make the page cross-origin isolated, so SharedArrayBuffer exists and rnnkit's
 * wasm backend can use worker threads. Any static host serving dist/ needs these two.
 */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/** Picks brotli, then gzip, from an Accept-Encoding header (null: send as is). */
function encodingFor(accept) {
  const a = String(accept ?? "");
  if (/\bbr\b/.test(a)) return "br";
  if (/\bgzip\b/.test(a)) return "gzip";
  return null;
}

/**
 * Serves `rootUrl` (a file: URL of a folder) on 127.0.0.1:`port` (0 picks a free port), with
 * the cross-origin-isolation headers and brotli/gzip compression (each file compressed once).
 */
export async function startStaticServer(rootUrl, port = 0) {
  const root = fileURLToPath(rootUrl);
  const cache = new Map();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      const ext = extname(file);
      const headers = { "content-type": TYPES[ext] ?? "application/octet-stream", vary: "accept-encoding", ...ISOLATION_HEADERS };
      const enc = COMPRESSIBLE.has(ext) && body.length > 1024 ? encodingFor(req.headers["accept-encoding"]) : null;
      if (!enc) {
        res.writeHead(200, headers).end(body);
        return;
      }
      const key = `${enc}:${file}`;
      let packed = cache.get(key);
      if (!packed || packed.size !== body.length) {
        const data = enc === "br" ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }) : gzipSync(body, { level: 6 });
        packed = { data, size: body.length };
        cache.set(key, packed);
      }
      res.writeHead(200, { ...headers, "content-encoding": enc }).end(packed.data);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return { server, url: `http://127.0.0.1:${actual}/` };
}
