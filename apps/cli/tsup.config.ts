import { defineConfig } from "tsup";

// rnnkit is bundled from its TypeScript sources (the "@rnnkit/source" condition), so the
// command builds without the packages' dist; commander and cli-progress stay external.
export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  clean: false,
  sourcemap: true,
  target: "node20",
  platform: "node",
  noExternal: ["rnnkit", /^@rnnkit\//],
  esbuildOptions(options) {
    options.conditions = ["@rnnkit/source"];
  },
  banner: { js: "#!/usr/bin/env node" },
});
