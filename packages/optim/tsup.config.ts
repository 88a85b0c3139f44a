import { defineConfig } from "tsup";
import { cjsBundle } from "../../tsup.config.base.js";

// ESM and declarations from tsc, one module per file (tsconfig.build.json): a page that imports
// only the loss classes (as `rk.nn` does) then leaves the optimizers and schedulers out.
export default defineConfig(cjsBundle);
