import { defineConfig } from "tsup";

// rnnkit, commander and cli-progress stay external (resolved from node_modules at run time).
export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  banner: { js: "#!/usr/bin/env node" },
});
