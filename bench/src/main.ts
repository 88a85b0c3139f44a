// Side-by-side benchmark: every workload on every peer that installs here, one child process per
// (workload, peer, round) so peak memory and thread settings stay separate, run one after
// another. Each workload runs its peers in several rounds (the order rotating), each with a
// share of the timing budget, and a peer's samples from all rounds are pooled: a slow spell of
// the host then lands on every peer instead of on whichever ran during it.
// Usage: pnpm bench [--quick] [--rounds 3] [--only W1,W5a] [--peers rnnkit-wasm,torch-1t] [--timeout 300]
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir, totalmem, type as osType, release } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Measurement } from "./measure.js";
import { kjvText } from "@rnnkit/dataset-kjv";
import { data } from "rnnkit";
import { wordTokens } from "./wordCorpus.js";
import { WORKLOADS, gflops, type Workload } from "./workloads.js";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const PYTHON = "/usr/bin/python3";

interface Peer {
  key: string;
  label: string;
  /** The command for one workload, or null when this peer cannot run it. */
  command(w: Workload, quick: boolean): { cmd: string; args: string[]; env: Record<string, string> } | null;
}

function canResolve(mod: string): boolean {
  try {
    require.resolve(mod);
    return true;
  } catch {
    return false;
  }
}

function torchVersion(): string | null {
  const r = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function nodePeer(
  key: string, label: string, file: string, extra: string[], skip: (w: Workload) => boolean, env: Record<string, string> = {},
  nodeFlags: string[] = [],
): Peer {
  const tsx = require.resolve("tsx/cli");
  return {
    key,
    label,
    command: (w, quick) =>
      skip(w) ? null : {
        cmd: process.execPath,
        // Node's own flags need Node itself to load tsx (its CLI would start a child without them).
        args: [...(nodeFlags.length ? [...nodeFlags, "--import", "tsx"] : [tsx]), "--conditions=@rnnkit/source", join(here, "peers", file), w.id, ...extra, ...(quick ? ["--quick"] : [])],
        env,
      },
  };
}

/** W7's token ids as raw int32 in a temporary file, for peers that cannot build them (written once). */
let tokensFile: string | null = null;
function wordTokensFile(): string {
  if (tokensFile) return tokensFile;
  const t = wordTokens();
  tokensFile = join(tmpdir(), `rnnkit-bench-w7-${process.pid}.i32`);
  writeFileSync(tokensFile, new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
  return tokensFile;
}

/** W8's vocabulary size: the characters of the bundled text, as the CLI's default model has. */
function sampleVocab(): number {
  return data.CharVocab.fromText(kjvText()).size;
}

/** The ONNX file of a W4 / W6 network, exported by PyTorch once per run (null when the export fails). */
const onnxFiles = new Map<string, string | null>();
function onnxFile(w: Workload): string | null {
  if (onnxFiles.has(w.id)) return onnxFiles.get(w.id)!;
  const file = join(tmpdir(), `rnnkit-bench-${process.pid}-${w.id}.onnx`);
  const r = spawnSync(PYTHON, [join(here, "peers", "exportOnnx.py"), JSON.stringify(w), file], { encoding: "utf8" });
  if (r.status !== 0) process.stderr.write(`  ONNX export of ${w.id} failed: ${(r.stderr ?? "").split("\n").filter(Boolean).pop() ?? `exit ${r.status}`}\n`);
  onnxFiles.set(w.id, r.status === 0 ? file : null);
  return onnxFiles.get(w.id)!;
}

/** An ONNX Runtime peer (W4 and W6 only) on `flavour`'s package, from the ONNX file PyTorch exported. */
function ortPeer(flavour: "node" | "web", threads: number): Peer {
  const tsx = require.resolve("tsx/cli");
  return {
    key: `ort-${flavour}-${threads}t`,
    label: `onnxruntime-${flavour} ${threads}t`,
    command: (w, quick) => {
      if (w.kind !== "infer" && w.kind !== "stream") return null;
      const file = onnxFile(w);
      if (!file) return null;
      return {
        cmd: process.execPath,
        args: [tsx, "--conditions=@rnnkit/source", join(here, "peers", "ort.ts"), w.id, flavour, String(threads), ...(quick ? ["--quick"] : [])],
        env: { RNNKIT_BENCH_ONNX: file },
      };
    },
  };
}

function torchPeer(threads: number, skylake: boolean): Peer {
  return {
    key: `torch-${threads}t${skylake ? "-skx" : ""}`,
    label: `PyTorch ${threads}t${skylake ? " SkylakeX" : ""}`,
    command: (w, quick) => ({
      cmd: PYTHON,
      args: [join(here, "peers", "torchPeer.py"), JSON.stringify(w.kind === "sample" ? { ...w, vocab: sampleVocab() } : w), String(threads), ...(quick ? ["--quick"] : [])],
      // OpenBLAS's runtime detection picks a slow kernel on this CPU unless told the core type.
      env: {
        OMP_NUM_THREADS: String(threads),
        ...(skylake ? { OPENBLAS_CORETYPE: "SkylakeX" } : {}),
        ...(w.kind === "wordlm" ? { RNNKIT_BENCH_TOKENS: wordTokensFile() } : {}),
      },
    }),
  };
}

/** tfjs and brain.js run the original workloads (W1–W5) only. */
function notClassic(w: Workload): boolean {
  return w.kind !== "train" && w.kind !== "infer" && w.kind !== "gemm";
}

function availablePeers(): { peers: Peer[]; missing: string[]; torch: string | null } {
  const peers: Peer[] = [
    // The default thread count (one per core, at most 4) and a single thread, as torch-1t / torch-2t.
    nodePeer("rnnkit-wasm", "rnnkit (wasm)", "rnnkit.ts", ["wasm"], () => false),
    nodePeer("rnnkit-wasm-1t", "rnnkit (wasm) 1t", "rnnkit.ts", ["wasm"], () => false, { RNNKIT_NUM_THREADS: "1" }),
    nodePeer("rnnkit-js", "rnnkit (js)", "rnnkit.ts", ["js"], () => false),
    // Node 20 validates relaxed SIMD only behind this flag; the kernels then load their FMA build.
    nodePeer("rnnkit-wasm-fma", "rnnkit (wasm) FMA", "rnnkit.ts", ["wasm"], () => false, { RNNKIT_RELAXED_SIMD: "" }, ["--experimental-wasm-relaxed-simd"]),
  ];
  const missing: string[] = [];
  const torch = torchVersion();
  if (torch) peers.push(torchPeer(1, false), torchPeer(2, false), torchPeer(1, true), torchPeer(2, true));
  else missing.push(`PyTorch (no torch in ${PYTHON})`);
  if (canResolve("@tensorflow/tfjs")) peers.push(nodePeer("tfjs-cpu", "tfjs (cpu)", "tfjs.ts", ["cpu"], notClassic));
  else missing.push("@tensorflow/tfjs");
  if (canResolve("@tensorflow/tfjs-backend-wasm")) peers.push(nodePeer("tfjs-wasm", "tfjs (wasm)", "tfjs.ts", ["wasm"], notClassic));
  else missing.push("@tensorflow/tfjs-backend-wasm");
  // ONNX Runtime needs the ONNX files that PyTorch exports, so it runs only where torch does.
  if (canResolve("onnxruntime-node") && torch) peers.push(ortPeer("node", 1), ortPeer("node", 2));
  else missing.push(torch ? "onnxruntime-node" : "onnxruntime-node (needs PyTorch for the ONNX export)");
  if (canResolve("onnxruntime-web") && torch) peers.push(ortPeer("web", 1));
  else missing.push(torch ? "onnxruntime-web" : "onnxruntime-web (needs PyTorch for the ONNX export)");
  if (canResolve("brain.js")) peers.push(nodePeer("brain", "brain.js", "brain.ts", [], (w) => w.kind === "gemm" || notClassic(w)));
  else missing.push("brain.js");
  return { peers, missing, torch };
}

interface Row {
  workload: string;
  title: string;
  peer: string;
  status: "ok" | "timeout" | "error";
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  reps: number;
  gflops: number | null;
  ratioVsRnnkit: number | null;
  peakRssMB: number | null;
  peakHeapMB: number | null;
  note: string;
}

function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A run that takes longer than this (ms) is not repeated in later rounds: its step is seconds long. */
const ONE_ROUND_MS = 60_000;

/** One peer's samples and peaks over the rounds it ran. */
interface Samples {
  timesMs: number[];
  peakRssMB: number;
  peakHeapMB: number | null;
  note: string;
  rounds: number;
  wallMs: number;
}

function runOne(peer: Peer, w: Workload, quick: boolean, timeoutS: number, budgetS: number, prev: Samples | null): Row | Samples | null {
  const c = peer.command(w, quick);
  if (!c) return null;
  const base: Row = {
    workload: w.id, title: w.title, peer: peer.label, status: "ok", medianMs: null, minMs: null, maxMs: null, reps: 0,
    gflops: null, ratioVsRnnkit: null, peakRssMB: null, peakHeapMB: null, note: "",
  };
  process.stderr.write(`  ${w.id} ${peer.label} ... `);
  const t0 = performance.now();
  const r = spawnSync(c.cmd, c.args, {
    encoding: "utf8", env: { ...process.env, ...c.env, RNNKIT_BENCH_BUDGET_S: String(budgetS) }, timeout: timeoutS * 1000, maxBuffer: 64 * 2 ** 20,
  });
  const wallMs = performance.now() - t0;
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) {
    const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    const err = (r.stderr ?? "").split("\n").filter((l) => /Error/.test(l))[0] ?? `exit ${r.status}`;
    process.stderr.write(timedOut ? `timeout (> ${timeoutS} s)\n` : `error: ${err.slice(0, 160)}\n`);
    return { ...base, status: timedOut ? "timeout" : "error", note: timedOut ? `no result within ${timeoutS} s` : err.slice(0, 200) };
  }
  const m = JSON.parse(line.slice(7)) as Measurement;
  process.stderr.write(`${median(m.timesMs).toFixed(2)} ms (${m.timesMs.length} reps)\n`);
  return {
    timesMs: [...(prev?.timesMs ?? []), ...m.timesMs],
    peakRssMB: Math.max(prev?.peakRssMB ?? 0, m.peakRssMB),
    peakHeapMB: m.peakHeapMB === null ? (prev?.peakHeapMB ?? null) : Math.max(prev?.peakHeapMB ?? 0, m.peakHeapMB),
    note: w.kind === "gemm" ? "" : (m.note ?? ""),
    rounds: (prev?.rounds ?? 0) + 1,
    wallMs,
  };
}

/** The table row of a peer's pooled samples. */
function rowOf(peer: Peer, w: Workload, s: Samples): Row {
  const med = median(s.timesMs);
  return {
    workload: w.id, title: w.title, peer: peer.label, status: "ok", medianMs: med,
    minMs: Math.min(...s.timesMs), maxMs: Math.max(...s.timesMs), reps: s.timesMs.length,
    gflops: w.kind === "gemm" ? gflops(w.n, med) : null, ratioVsRnnkit: null,
    peakRssMB: s.peakRssMB, peakHeapMB: s.peakHeapMB, note: s.note,
  };
}

/**
 * Runs every peer on `w` in `rounds` rounds (round r starts at peer r, so no peer always runs
 * first), pooling each peer's samples; a peer that failed, or took over a minute, runs no more rounds.
 */
function runWorkload(peers: readonly Peer[], w: Workload, quick: boolean, timeoutS: number, rounds: number, budgetS: number): Row[] {
  const samples = new Map<Peer, Samples>();
  const failed = new Map<Peer, Row>();
  const skipped = new Set<Peer>();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < peers.length; i++) {
      const p = peers[(i + round) % peers.length]!;
      const prev = samples.get(p) ?? null;
      if (skipped.has(p) || failed.has(p) || (prev && prev.wallMs > ONE_ROUND_MS)) continue;
      const r = runOne(p, w, quick, timeoutS, budgetS, prev);
      if (r === null) skipped.add(p);
      else if ("status" in r) failed.set(p, r);
      else samples.set(p, r);
    }
  }
  const rows: Row[] = [];
  for (const p of peers) {
    const s = samples.get(p);
    const f = failed.get(p);
    if (s) rows.push(rowOf(p, w, s));
    else if (f) rows.push(f);
  }
  return rows;
}

function fmtMs(x: number | null): string {
  if (x === null) return "—";
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function table(rows: Row[]): string {
  const head = ["workload", "peer", "median ms", "min–max ms", "GFLOP/s", "× rnnkit(wasm)", "peak RSS MB", "peak heap MB", "note"];
  const body = rows.map((r) => [
    r.workload,
    r.peer,
    r.status === "ok" ? fmtMs(r.medianMs) : r.status,
    r.status === "ok" ? `${fmtMs(r.minMs)}–${fmtMs(r.maxMs)}` : "—",
    r.gflops === null ? "" : r.gflops.toFixed(1),
    r.ratioVsRnnkit === null ? "" : r.ratioVsRnnkit.toFixed(2),
    r.peakRssMB === null ? "—" : r.peakRssMB.toFixed(0),
    r.peakHeapMB === null ? "—" : r.peakHeapMB.toFixed(0),
    r.note,
  ]);
  const lines = [head, head.map(() => "---"), ...body].map((cells) => `| ${cells.join(" | ")} |`);
  return lines.join("\n");
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const quick = process.argv.includes("--quick");
  const only = argValue("--only")?.split(",");
  const peerFilter = argValue("--peers")?.split(",");
  const timeoutS = Number(argValue("--timeout") ?? (quick ? 120 : 300));
  const rounds = Math.max(1, Math.floor(Number(argValue("--rounds") ?? (quick ? 1 : 3))));
  const budgetS = (quick ? 1.5 : 6) / rounds;
  const { peers: all, missing, torch } = availablePeers();
  const peers = peerFilter ? all.filter((p) => peerFilter.includes(p.key)) : all;
  const workloads = only ? WORKLOADS.filter((w) => only.includes(w.id)) : WORKLOADS;
  process.stderr.write(`peers: ${peers.map((p) => p.label).join(", ")}${missing.length ? `; not installed: ${missing.join(", ")}` : ""}\n`);

  const rows: Row[] = [];
  for (const w of workloads) {
    const group = runWorkload(peers, w, quick, timeoutS, rounds, budgetS);
    const ref = group.find((r) => r.peer === "rnnkit (wasm)" && r.status === "ok");
    for (const r of group) {
      if (ref?.medianMs && r.medianMs !== null) r.ratioVsRnnkit = r.medianMs / ref.medianMs;
    }
    rows.push(...group);
  }

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const machine = {
    cpu, cores: cpus().length, memGB: Math.round(totalmem() / 2 ** 30), os: `${osType()} ${release()}`,
    node: process.version, torch,
  };
  const out = { date: new Date().toISOString(), quick, rounds, machine, workloads: workloads.map((w) => ({ id: w.id, title: w.title })), results: rows };
  const dir = join(here, "..", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), `${JSON.stringify(out, null, 2)}\n`);

  console.log(`rnnkit bench — ${out.date} — ${cpu}, ${machine.cores} cores, Node ${machine.node}${torch ? `, torch ${torch}` : ""}${quick ? " (quick)" : ""}, ${rounds} round${rounds > 1 ? "s" : ""}`);
  console.log("Times are per training step (W1–W3, W7), per forward (W4), per product (W5), per time step (W6), per generated character (W8); × rnnkit(wasm) = peer median ÷ rnnkit (wasm) median, same run (>1: rnnkit faster).\n");
  for (const w of workloads) console.log(`- ${w.id}: ${w.title}`);
  console.log(`\n${table(rows)}`);
  console.log(`\nwrote ${join("bench", "results", "latest.json")}`);
  if (tokensFile) rmSync(tokensFile, { force: true });
  for (const f of onnxFiles.values()) if (f) rmSync(f, { force: true });
}

main();
