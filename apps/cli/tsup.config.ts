import { defineConfig } from "tsup";

// The command imports rnnkit and the dataset packages as dependencies (tsup leaves everything in
// `dependencies` external), so the published tarball holds only the command's own code.
export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  clean: false,
  sourcemap: true,
  target: "node20",
  platform: "node",
  banner: { js: "#!/usr/bin/env node" },
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
});
