import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Server } from "node:http";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs helper without types
import { startStaticServer } from "../scripts/staticServer.mjs";

// End-to-end: the built app (dist/, made by `pnpm build`) in Debian's Chromium, driven by
// playwright-core. `.ci/run` installs chromium when it is missing. Latency checks here are
// behaviour checks with generous bounds (a busy 2-core machine must pass them), not benchmarks.
const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const out = fileURLToPath(new URL("../test-results/", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const cli = fileURLToPath(new URL("../../cli/dist/cli.js", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let server: Server;
let url: string;
let browser: Browser;
const pageErrors: string[] = [];

async function freshPage(viewport = { width: 1366, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(url);
  return page;
}
const stepOf = async (p: Page) => Number(await p.locator("#status").getAttribute("data-step"));
const runningOf = async (p: Page) => (await p.locator("#status").getAttribute("data-running")) === "true";
async function waitStep(p: Page, n: number, timeout = 60_000): Promise<void> {
  await expect.poll(() => stepOf(p), { timeout, interval: 100 }).toBeGreaterThanOrEqual(n);
}
async function pause(p: Page): Promise<void> {
  await p.getByRole("button", { name: "Pause" }).click();
  await expect.poll(() => runningOf(p), { timeout: 30_000 }).toBe(false);
}
/** Median of five main-thread round trips (page.evaluate), in ms. */
async function roundTrip(p: Page): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await p.evaluate(() => document.getElementById("status")?.textContent?.length ?? 0);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[2]!;
}

beforeAll(async () => {
  if (!existsSync(join(dist, "index.html"))) throw new Error(`playground e2e: ${dist} has no build; run \`pnpm build\` first`);
  if (!existsSync(CHROMIUM)) throw new Error(`playground e2e: no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\``);
  ({ server, url } = (await startStaticServer(new URL("../dist/", import.meta.url), 0)) as { server: Server; url: string });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(out, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe("playground in Chromium", () => {
  it("learns hello → ohlol; keyboard focus survives buttons disabling themselves and heatmap refreshes", async () => {
    const page = await freshPage();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByRole("button", { name: "Train" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Pause");
    await expect.poll(() => page.locator("#headline").textContent(), { timeout: 45_000, interval: 250 }).toContain("Predicted: ohlol");
    expect(Number(await page.locator("#chart").getAttribute("data-points"))).toBeGreaterThan(1);
    await expect.poll(() => page.locator("#hidden canvas").count()).toBeGreaterThan(0);
    // A focused heatmap keeps focus while new snapshots arrive.
    await page.locator("#hidden canvas").first().focus();
    const viewsNote = await page.locator("#views-note").textContent();
    await expect.poll(() => page.locator("#views-note").textContent(), { timeout: 10_000 }).not.toBe(viewsNote);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("heatmap");
    await page.locator("#hidden canvas").first().press("ArrowRight");
    expect(await page.locator("#hidden .readout").first().textContent()).toMatch(/^h0 × e: -?\d/);
    await page.getByRole("button", { name: "Pause" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#status").textContent()).toContain("paused");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Train");
    // The code tabs say which is selected.
    await page.getByRole("tab", { name: "PyTorch (Python)" }).click();
    expect(await page.getByRole("tab", { name: "PyTorch (Python)" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.getByRole("tab", { name: "rnnkit (TypeScript)" }).getAttribute("aria-selected")).toBe("false");
    // WCAG AA: the Train button's text contrast is at least 4.5:1.
    const ratio = await page.evaluate(() => {
      const s = getComputedStyle(document.querySelector("button.primary")!);
      const lum = (c: string) => {
        const [r, g, b] = c.match(/\d+/g)!.slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const [a, b] = [lum(s.color), lum(s.backgroundColor)];
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: join(out, "playground-hello.png"), fullPage: true });

    // Download the checkpoint, then load it on a fresh page showing other settings.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .safetensors" }).click()]);
    const saved = join(out, "hello.safetensors");
    await download.saveAs(saved);
    const step = await stepOf(page);
    await page.close();
    const fresh = await freshPage();
    await fresh.locator("#cell").selectOption("gru");
    await fresh.locator("#load").setInputFiles(saved);
    await expect.poll(() => fresh.locator("#notice").textContent(), { timeout: 20_000 }).toMatch(/^Loaded a playground checkpoint: hello → ohlol, RNN \(tanh\), Hidden size 4, Layers 1, step \d+/);
    expect(await stepOf(fresh)).toBe(step);
    expect(await fresh.locator("#cell").inputValue()).toBe("rnn-tanh");
    await expect.poll(() => fresh.locator("#headline").textContent(), { timeout: 20_000 }).toContain("Predicted: ohlol");
    const bad = join(out, "not-a-checkpoint.safetensors");
    writeFileSync(bad, "this is not safetensors");
    await fresh.locator("#load").setInputFiles(bad);
    await expect.poll(() => fresh.locator("#error").textContent(), { timeout: 10_000 }).toMatch(/not a readable safetensors checkpoint/);
    expect(await stepOf(fresh)).toBe(step);
    await fresh.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("loads CLI character-model and classifier checkpoints and a PyTorch state dict, each on a fresh page", async () => {
    const charlm = join(out, "cli-charlm.safetensors");
    const classifier = join(out, "cli-classifier.safetensors");
    execFileSync(process.execPath, [cli, "train", "--model", "gru", "--hidden", "16", "--embedding", "8", "--layers", "2", "--steps", "3", "--batch-size", "4", "--seq-len", "16", "--sample-length", "10", "--out", charlm], { stdio: "ignore" });
    execFileSync(process.execPath, [cli, "classify", "train", "--model", "lstm", "--hidden", "12", "--epochs", "1", "--batch-size", "256", "--out", classifier], { stdio: "ignore" });
    const cases: [string, RegExp, RegExp][] = [
      [charlm, /^Loaded an rnnkit CLI character model: character language model, GRU, Hidden size 16, Layers 2, step 3\./, /^Sample: /],
      [classifier, /^Loaded an rnnkit CLI word classifier: word origin, LSTM, Hidden size 12, Layers 1/, /^Validation accuracy: /],
      [join(fixtures, "torch-lstm-hello.safetensors"), /^Loaded a state dict \(settings read from its tensor shapes\): hello → ohlol, LSTM, Hidden size 5, Layers 2, step 0/, /^Predicted: /],
    ];
    for (const [file, notice, headline] of cases) {
      const page = await freshPage();
      await page.locator("#load").setInputFiles(file);
      await expect.poll(() => page.locator("#notice").textContent(), { timeout: 30_000 }).toMatch(notice);
      await expect.poll(() => page.locator("#headline").textContent(), { timeout: 30_000 }).toMatch(headline);
      expect(await page.locator("#error").isHidden()).toBe(true);
      // The loaded model trains on from its step.
      const from = await stepOf(page);
      await page.getByRole("button", { name: "Step" }).click();
      await waitStep(page, from + 1);
      await page.close();
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);

  for (const cell of ["lstm", "gru"] as const) {
    it(`stays responsive and pauses within a slice training the largest allowed ${cell.toUpperCase()} (text, hidden 512)`, async () => {
      const page = await freshPage();
      await page.locator("#task").selectOption("text");
      await page.getByRole("button", { name: /Use bundled text/ }).click();
      await expect.poll(() => page.locator("#text").inputValue().then((v) => v.length)).toBeGreaterThan(50_000);
      await page.locator("#cell").selectOption(cell);
      await page.locator("#hiddenSize").fill("512");
      expect(await page.locator("#config-errors li").count()).toBe(0);
      await page.getByRole("button", { name: "Train" }).click();
      await waitStep(page, 3, 90_000);
      expect(await roundTrip(page)).toBeLessThan(200);
      // A click is handled at once: the other code tab shows.
      await page.getByRole("tab", { name: "PyTorch (Python)" }).click();
      await expect.poll(() => page.locator("#code").textContent(), { timeout: 2000 }).toContain("import torch");
      // Steps/s with and without threads: switching to one thread keeps the other figure shown.
      if ((await page.locator("#threads").isEnabled()) && (await page.locator("#threads option").count()) >= 2) {
        await page.locator("#threads").selectOption("1");
        await expect.poll(() => page.locator("#status").textContent(), { timeout: 60_000, interval: 250 }).toMatch(/[\d.]+ steps\/s on 1 thread \(\d threads: [\d.]+\)/);
      }
      const slice = Number(await page.locator("#status").getAttribute("data-slice-steps"));
      const atClick = await stepOf(page);
      await pause(page);
      // The slice under way finishes (a report may be in flight): at most two slices' steps more.
      expect((await stepOf(page)) - atClick).toBeLessThanOrEqual(2 * Math.max(slice, 1));
      const paused = await stepOf(page);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await stepOf(page)).toBe(paused);
      await page.close();
      expect(pageErrors).toEqual([]);
    }, 150_000);
  }

  it("trains word origin, bidirectional, 3 layers for 50 steps, showing both directions", async () => {
    const page = await freshPage();
    await page.locator("#task").selectOption("wordOrigin");
    await page.locator("#bidirectional").check();
    await page.locator("#numLayers").fill("3");
    await page.getByRole("button", { name: "Train" }).click();
    await waitStep(page, 50, 90_000);
    await pause(page);
    expect(await page.locator("#error").isHidden()).toBe(true);
    expect(await page.locator("#view-error").isHidden()).toBe(true);
    const titles = await page.locator("#hidden h4").allTextContents();
    expect(titles).toContain("hidden state, layer 2, backward");
    expect(titles).toContain("hidden state, layer 0, forward");
    expect(await page.locator("#headline").textContent()).toMatch(/Validation accuracy/);
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("keeps controls, status and code on the running model: refused builds, pending edits, a live learning rate", async () => {
    const page = await freshPage();
    const step = page.getByRole("button", { name: "Step" });
    for (let i = 1; i <= 3; i++) {
      await step.click();
      await waitStep(page, i);
    }
    // A live learning-rate change keeps the model and its step count.
    await page.locator("#lr").fill("0.05");
    await expect.poll(() => page.locator("#notice").textContent()).toMatch(/Learning rate 0\.05 applies from step 4/);
    await step.click();
    await waitStep(page, 4);
    expect(await stepOf(page)).toBe(4);
    expect(await page.locator("#code").textContent()).toContain("lr: 0.05");
    // An edit to the model waits for Reset; Train continues the running model.
    await page.locator("#hiddenSize").fill("6");
    expect(await page.locator("#pending-note").textContent()).toMatch(/Changed: Hidden size/);
    expect(await page.locator("#code").textContent()).toContain("new rk.nn.RNN(4, 4,");
    await page.getByRole("button", { name: "Train" }).click();
    await waitStep(page, 20);
    await page.locator("#lr").fill("0.02");
    await expect.poll(() => page.locator("#notice").textContent()).toMatch(/Learning rate 0\.02 applies/);
    const before = await stepOf(page);
    await waitStep(page, before + 5);
    await pause(page);
    // The case: a text too short for the sequence length is refused, and says why.
    await page.locator("#task").selectOption("text");
    await page.locator("#text").fill("abcdefghi ".repeat(12) + "123456789012345");
    await page.locator("#seqLen").fill("512");
    expect(await page.locator("#text").getAttribute("aria-invalid")).toBe("true");
    const ran = await stepOf(page);
    await page.getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => page.locator("#error").textContent()).toMatch(/^Reset does nothing yet/);
    expect(await page.locator("#config-errors").textContent()).toMatch(/Text must have at least 572 characters for a sequence length of 512 \(it has 135\)/);
    expect(await page.locator("#config-errors").textContent()).not.toMatch(/seqLen|hiddenSize/);
    expect(await stepOf(page)).toBe(ran);
    expect(await page.locator("#status").textContent()).toMatch(/^hello → ohlol/);
    expect(await page.locator("#code").textContent()).toContain('"hello"');
    // Back to hello: Reset builds it (the text task's settings no longer count).
    await page.locator("#task").selectOption("hello");
    await page.getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => stepOf(page)).toBe(0);
    expect(await page.locator("#hiddenSize").inputValue()).toBe("4");
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it("fits a 390 px wide phone without sideways scrolling, keeps desktop controls in view, refuses binary text", async () => {
    const phone = await freshPage({ width: 390, height: 844 });
    await phone.locator("#task").selectOption("wordOrigin");
    await phone.getByRole("button", { name: "Step" }).click();
    await waitStep(phone, 1);
    // Views off screen are not computed; scrolled into view, they arrive.
    expect(await phone.locator("#weights canvas").count()).toBe(0);
    await phone.locator("#weights-view").scrollIntoViewIfNeeded();
    await expect.poll(() => phone.locator("#weights canvas").count()).toBeGreaterThan(0);
    await phone.screenshot({ path: join(out, "playground-390.png"), fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.locator("#task").selectOption("hello");
    await phone.getByRole("button", { name: "Reset" }).click();
    await phone.getByRole("button", { name: "Step" }).click();
    await expect.poll(() => phone.locator("#predictions table").count()).toBe(1);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.close();

    const desk = await freshPage();
    await desk.getByRole("button", { name: "Step" }).click();
    await waitStep(desk, 1);
    await desk.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const top = await desk.evaluate(() => document.getElementById("controls")!.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    await desk.locator("#task").selectOption("text");
    await desk.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0xfe])], "archive.zip"));
      document.getElementById("text")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => desk.locator("#error").textContent()).toMatch(/archive\.zip is a binary file, not text/);
    expect(await desk.locator("#text").inputValue()).toBe("");
    await desk.close();
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("downloads the PyTorch DDP project of a trained word-origin model as a zip, disabled with a reason for hello", async () => {
    const page = await freshPage();
    const button = page.locator("#torch-zip");
    expect(await button.isDisabled()).toBe(true);
    await page.locator("#task").selectOption("wordOrigin");
    await page.getByRole("button", { name: "Train" }).click();
    await waitStep(page, 5, 60_000);
    await pause(page);
    expect(await button.isDisabled()).toBe(false);
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toBe("rnnkit-torch-wordOrigin-gru.zip");
    const saved = join(out, "torch-project.zip");
    await download.saveAs(saved);
    const rk = await import("rnnkit");
    const files = rk.torchExport.readZipStore(new Uint8Array(readFileSync(saved)));
    for (const f of ["model.py", "data.py", "train.py", "distributed.py", "checkpoint.py", "rnnkit_format.py", "README.md", "init.safetensors", "data/train.csv", "data/val.csv"]) {
      expect(Object.keys(files)).toContain(`rnnkit-torch-wordOrigin-gru/${f}`);
    }
    const init = rk.io.loadSafetensors(files["rnnkit-torch-wordOrigin-gru/init.safetensors"]!);
    expect(init.metadata["format"]).toBe("rnnkit.classifier");
    await page.locator("#task").selectOption("hello");
    await page.getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => button.getAttribute("title"), { timeout: 20_000 }).toMatch(/text and word-origin tasks, not "hello"/);
    expect(await button.isDisabled()).toBe(true);
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
