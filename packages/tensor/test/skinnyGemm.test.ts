// Products of 1–7 rows: the last m % 4 rows run on the narrow micro-kernels (asm/skinny.ts),
// which must give the 4-row tile's results bit for bit (same k-order per element) and stay within
// the GEMM error bound, in the plain build here, the relaxed-SIMD build in a child Node, and the
// relaxed build in Chromium. The rows of a batch-1 recurrent step take this path.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from "../src/wasm/kernels.wasm.js";
import { loadWasmKernels } from "../src/wasm/loader.js";
import { skinnyGemmCheck, type SkinnyReport } from "./skinnyGemmCheck.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const child = fileURLToPath(new URL("./skinnyGemmChild.ts", import.meta.url));

function expectClean(r: SkinnyReport): void {
  expect(r.mismatches).toEqual([]);
  // 8 shapes × 7 row counts × 4 transposes: gemm and 3 gemmPacked splits, plus 3 gemmPrepacked splits when A is not transposed.
  expect(r.products).toBe(8 * 7 * (4 * 4 + 2 * 3));
  expect(r.worstBound).toBeGreaterThan(0);
  expect(r.worstBound).toBeLessThanOrEqual(1);
}

describe("skinny GEMM micro-kernels", () => {
  it("plain SIMD: m = 1..7 rows equal the same rows of an 8-row product, for every column range", () => {
    const k = loadWasmKernels(false, false)!;
    expectClean(skinnyGemmCheck(k.exports, k.workBase, k.scratchBase));
  });

  it("packedAFloats: four copies of each value in full 4-row panels, the last m % 4 rows unpadded", () => {
    const k = loadWasmKernels(false, false)!.exports;
    expect([1, 2, 3, 4, 5, 9].map((m) => k.packedAFloats(m, 10))).toEqual([10, 20, 30, 160, 170, 330]);
  });

  it("relaxed SIMD in a Node with --experimental-wasm-relaxed-simd: the same", () => {
    const r = spawnSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--import", "tsx", "--conditions=@rnnkit/source", child], {
      encoding: "utf8", timeout: 60_000, env: { ...process.env, RNNKIT_RELAXED_SIMD: "" },
    });
    const line = r.stdout.split("\n").find((l) => l.startsWith("SKINNY "));
    if (!line) throw new Error(`skinny child failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
    const out = JSON.parse(line.slice(7)) as SkinnyReport & { relaxed: boolean };
    expect(out.relaxed).toBe(true);
    expectClean(out);
  }, 90_000);

  it("Chromium: the plain and the relaxed builds, the same", async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`skinny GEMM: no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\``);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      for (const b64 of [KERNELS_WASM_BASE64, KERNELS_RELAXED_WASM_BASE64]) {
        // The check is one self-contained function, so its source runs in the page as it is.
        const report = (await page.evaluate(`(async () => {
          const bytes = Uint8Array.from(atob(${JSON.stringify(b64)}), (ch) => ch.charCodeAt(0));
          const { instance } = await WebAssembly.instantiate(bytes, {});
          const e = instance.exports;
          const work = 1024;
          return (${skinnyGemmCheck.toString()})(e, work, work + ((e.gemmWorkBytes() + 15) & ~15));
        })()`)) as SkinnyReport;
        expectClean(report);
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
