// The repository's lint: typescript-eslint's recommended rules (no explicit `any`, no unused
// code, no non-null assertions on optional chains...) plus import cycles, over every package,
// app, bench and tool source. Run with `pnpm lint`.
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**", "**/node_modules/**", "**/*.wasm.ts", "packages/tensor/asm/**", "packages/data/datasets/**", "apps/playground/test-results/**",
      "**/*.js", "**/*.mjs", "**/*.cjs",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      // The dependency graph is read with the TypeScript parser (the default one skips .ts files).
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/extensions": [".ts", ".js"],
      "import-x/resolver-next": [createTypeScriptImportResolver({ noWarnOnMultipleProjects: true, project: ["packages/*/tsconfig.json", "apps/*/tsconfig.json", "bench/tsconfig.json"] })],
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    // autograd's Tensor class and its ops need each other (its methods call the ops, the engine,
    // sampling, creation and in-place machinery; they build Tensors): the one cycle the layering accepts. (asm/ is
    // AssemblyScript, which the TypeScript parser does not read.)
    files: [
      "packages/autograd/src/tensor.ts", "packages/autograd/src/ops/**/*.ts", "packages/autograd/src/defineOp.ts",
      "packages/autograd/src/engine.ts", "packages/autograd/src/gradUtil.ts", "packages/autograd/src/creation.ts",
      "packages/autograd/src/sampling.ts", "packages/autograd/src/inPlace.ts",
    ],
    rules: { "import-x/no-cycle": "off" },
  },
);
