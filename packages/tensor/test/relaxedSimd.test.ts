// Relaxed SIMD (f32x4.relaxed_madd: FMA in the GEMM micro-kernel) is chosen where the engine
// validates it and plain SIMD stays the default elsewhere. Node 20 has it only behind
// --experimental-wasm-relaxed-simd, so a child Node with that flag checks the selection and
// the results; Chromium (which ships it) runs the relaxed module's GEMM export directly.
// Results differ from plain SIMD in the last bits (one rounding per multiply-add instead of
// two), so both are held to the float64 GEMM error bound, (k + 4)·ε·Σ|a·b|, which FMA only tightens.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { Generator, wasmRelaxedSimdSupported } from "@rnnkit/tensor";
import { KERNELS_RELAXED_WASM_BASE64 } from "../src/wasm/kernels.wasm.js";
import { loadWasmKernels } from "../src/wasm/loader.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const child = fileURLToPath(new URL("./relaxedSimdChild.ts", import.meta.url));

interface ChildCase { shape: unknown[]; worstRelaxed: number; worstPlain: number; differ: number; threadsSame: boolean }

describe("relaxed SIMD selection", () => {
  it("this Node loads the plain build unless it validates relaxed SIMD", () => {
    const k = loadWasmKernels(false)!;
    expect(k.relaxed).toBe(wasmRelaxedSimdSupported() && process.env.RNNKIT_RELAXED_SIMD !== "0");
    expect(loadWasmKernels(false, false)!.relaxed).toBe(false);
  });

  it("a Node with --experimental-wasm-relaxed-simd loads the FMA build, within the GEMM bound, threads bit-identical", () => {
    const r = spawnSync(process.execPath, ["--experimental-wasm-relaxed-simd", "--import", "tsx", "--conditions=@rnnkit/source", child], {
      encoding: "utf8", timeout: 60_000, env: { ...process.env, RNNKIT_RELAXED_SIMD: "" },
    });
    const line = r.stdout.split("\n").find((l) => l.startsWith("RELAXED "));
    if (!line) throw new Error(`relaxed child failed (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
    const out = JSON.parse(line.slice(8)) as { supported: boolean; defaultRelaxed: boolean; sharedRelaxed: boolean; cases: ChildCase[] };
    expect(out.supported).toBe(true);
    expect(out.defaultRelaxed).toBe(true);
    expect(out.sharedRelaxed).toBe(true);
    for (const c of out.cases) {
      expect(c.worstRelaxed, `relaxed ${JSON.stringify(c.shape)}`).toBeLessThanOrEqual(1);
      expect(c.worstPlain, `plain ${JSON.stringify(c.shape)}`).toBeLessThanOrEqual(1);
      expect(c.threadsSame, `threads ${JSON.stringify(c.shape)}`).toBe(true);
    }
    // The fused build really runs: some results differ from the plain build's in the last bits.
    expect(out.cases.reduce((s, c) => s + c.differ, 0)).toBeGreaterThan(0);
  }, 90_000);

  it("Chromium validates relaxed SIMD and the FMA build's gemm export stays within the GEMM bound", async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`relaxed SIMD: no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\``);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage();
      const gen = new Generator(5);
      const [m, n, k] = [67, 130, 300];
      const a = Array.from({ length: m * k }, () => gen.normal());
      const b = Array.from({ length: k * n }, () => gen.normal());
      const got = await page.evaluate(async ({ b64, a, b, m, n, k }) => {
        const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const { instance } = await WebAssembly.instantiate(bytes, {});
        const e = instance.exports as unknown as {
          memory: WebAssembly.Memory; gemmWorkBytes(): number;
          gemm(ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number): void;
        };
        // The host's layout: the GEMM workspace at 1024, operands after it.
        const work = 1024;
        const pa = work + ((e.gemmWorkBytes() + 15) & ~15);
        const pb = pa + a.length * 4;
        const pc = pb + b.length * 4;
        const need = pc + m * n * 4;
        if (need > e.memory.buffer.byteLength) e.memory.grow(Math.ceil((need - e.memory.buffer.byteLength) / 65536));
        const mem = new Float32Array(e.memory.buffer);
        mem.set(a, pa >> 2);
        mem.set(b, pb >> 2);
        e.gemm(0, 0, m, n, k, 1, pa, k, pb, n, 0, pc, n, work);
        return Array.from(mem.subarray(pc >> 2, (pc >> 2) + m * n));
      }, { b64: KERNELS_RELAXED_WASM_BASE64, a: Array.from(Float32Array.from(a)), b: Array.from(Float32Array.from(b)), m, n, k });
      const fa = Float32Array.from(a);
      const fb = Float32Array.from(b);
      let worst = 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          let abs = 0;
          for (let q = 0; q < k; q++) {
            s += fa[i * k + q]! * fb[q * n + j]!;
            abs += Math.abs(fa[i * k + q]! * fb[q * n + j]!);
          }
          worst = Math.max(worst, Math.abs(got[i * n + j]! - s) / ((k + 4) * 2 ** -23 * abs + 1e-30));
        }
      }
      expect(worst).toBeLessThanOrEqual(1);
      const probe = await page.evaluate(() =>
        WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 17, 65, 0, 253, 17, 65, 0, 253, 17, 253, 133, 2, 11])),
      );
      expect(probe).toBe(true);
    } finally {
      await browser.close();
    }
  }, 90_000);
});
