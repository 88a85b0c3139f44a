import { defineConfig, type Options } from "tsup";

/**
 * The build every published package shares: one ESM and one CommonJS bundle of src/index.ts,
 * each with its own declarations (index.d.ts, index.d.cts). Source maps stay, without the
 * sources embedded in them (the tarball would otherwise carry every source twice).
 */
export const packageBuild: Options = {
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // Class names are user-visible (String(module) prints torch's repr with the class name), so
  // the bundle must not rename `Embedding` to `_Embedding`.
  keepNames: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
};

/**
 * For packages whose ESM build and declarations come from tsc, one module per source file
 * (tsconfig.build.json, then tools/package/cjsTypes.mjs for the .d.cts twins): tsup writes only
 * the CommonJS bundle. A per-file ESM build lets bundlers drop whole modules a page never
 * reaches, where a single-file bundle keeps every `export * as ns` namespace object.
 */
export const cjsBundle: Options = { ...packageBuild, format: ["cjs"], dts: false };

export default defineConfig(packageBuild);
