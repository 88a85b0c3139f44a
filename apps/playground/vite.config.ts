import { defineConfig } from "vite";

// The playground bundles rnnkit from source in dev and from the workspace packages' sources
// in build too (the "@rnnkit/source" condition), so it never needs a prior package build.
export default defineConfig({
  resolve: { conditions: ["@rnnkit/source", "module", "browser", "import", "default"] },
  worker: { format: "es" },
  build: { target: "es2022", outDir: "dist", sourcemap: true },
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
});
