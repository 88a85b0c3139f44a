import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs helper without types
import { startStaticServer } from "../scripts/staticServer.mjs";

// End-to-end: the built app (dist/, made by `pnpm build`) in Debian's Chromium, driven by
// playwright-core. `.ci/run` installs chromium when it is missing.
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const out = fileURLToPath(new URL("../test-results/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let server: Server;
let url: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(dist, "index.html"))) throw new Error(`playground e2e: ${dist} has no build; run \`pnpm build\` first`);
  if (!existsSync(CHROMIUM)) throw new Error(`playground e2e: no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\``);
  ({ server, url } = (await startStaticServer(new URL("../dist/", import.meta.url), 0)) as { server: Server; url: string });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.goto(url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe("playground in Chromium", () => {
  it("learns hello → ohlol within seconds, with the chart and views moving", async () => {
    await page.getByRole("button", { name: "Train" }).click();
    await expect.poll(() => page.locator("#headline").textContent(), { timeout: 45_000, interval: 250 }).toContain("Predicted: ohlol");
    const points = Number(await page.locator("#chart").getAttribute("data-points"));
    expect(points).toBeGreaterThan(1);
    await expect.poll(() => page.locator("#hidden canvas").count()).toBeGreaterThan(0);
    // The page stays responsive while the worker trains: a click is handled at once.
    await page.getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => page.locator("#status").textContent()).toContain("paused");
    mkdirSync(out, { recursive: true });
    await page.screenshot({ path: join(out, "playground-hello.png"), fullPage: true });
    expect(consoleErrors).toEqual([]);
  }, 90_000);

  it("downloads a checkpoint and loads it back; a bad file gets a clear message", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download .safetensors" }).click(),
    ]);
    const saved = join(out, "hello.safetensors");
    await download.saveAs(saved);
    await page.getByRole("button", { name: "Reset" }).click();
    await page.locator("#load").setInputFiles(saved);
    await expect.poll(() => page.locator("#headline").textContent(), { timeout: 20_000 }).toContain("Predicted: ohlol");
    expect(await page.locator("#error").isHidden()).toBe(true);

    const bad = join(out, "not-a-checkpoint.safetensors");
    writeFileSync(bad, "this is not safetensors");
    await page.locator("#load").setInputFiles(bad);
    await expect.poll(() => page.locator("#error").textContent(), { timeout: 10_000 }).toMatch(/not a readable safetensors checkpoint/);
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
