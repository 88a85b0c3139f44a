import { defineConfig } from "vitest/config";

// Tests read each package's TypeScript sources through the "@rnnkit/source" export
// condition, so no build is needed before `pnpm test`.
export default defineConfig({
  resolve: { conditions: ["@rnnkit/source"] },
  ssr: { resolve: { conditions: ["@rnnkit/source"] } },
  test: {
    // tools/consumer: the packed tarballs installed into an empty project (see its test file).
    include: [
      "packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts",
      "examples/*/test/**/*.test.ts", "tools/consumer/**/*.test.ts",
    ],
    testTimeout: 60_000,
    pool: "threads",
    // CI also writes a JSON report, from which .ci/run prints "N passed, N failed".
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/vitest-report.json" }]] : ["default"],
  },
});
