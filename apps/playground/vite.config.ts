import { defineConfig } from "vite";

// Cross-origin isolation (COOP + COEP) gives the page SharedArrayBuffer, so rnnkit's wasm
// backend can split large matrix products over worker threads. Static hosts need the same two
// headers (see README.md); scripts/staticServer.mjs sends them too.
const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

// The playground bundles rnnkit from source in dev and from the workspace packages' sources
// in build too (the "@rnnkit/source" condition), so it never needs a prior package build.
export default defineConfig({
  resolve: { conditions: ["@rnnkit/source", "module", "browser", "import", "default"] },
  worker: { format: "es" },
  build: { target: "es2022", outDir: "dist", sourcemap: true },
  server: { host: "127.0.0.1", port: 5173, headers: isolationHeaders },
  preview: { host: "127.0.0.1", port: 4173, headers: isolationHeaders },
});
