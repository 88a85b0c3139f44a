import { defineConfig } from "tsup";
import { cjsBundle } from "../../tsup.config.base.js";

// The umbrella's ESM build and all its declarations come from tsc (tsconfig.build.json), one
// module per source file, so `export * as nn` stays a static re-export that bundlers shake and
// the .d.ts holds declarations only. tsup writes the CommonJS bundle.
export default defineConfig(cjsBundle);
