// The thread count knob, as in PyTorch's torch.set_num_threads / get_num_threads.
import { MAX_WORKERS } from "./workerSource.js";

/** Most threads a kernel call is split over: the caller plus every worker slot. */
export const MAX_THREADS = MAX_WORKERS + 1;
/** The default never exceeds this many threads (more rarely pays for recurrent-net sizes). */
const DEFAULT_CAP = 4;

let current: number | undefined;

/** Logical cores: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` elsewhere, else 1. */
function cores(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** `RNNKIT_NUM_THREADS` from the environment in Node, as written; undefined elsewhere or when unset. */
function envThreads(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.RNNKIT_NUM_THREADS;
  return v === undefined || v === "" ? undefined : v;
}

/** `n` capped at MAX_THREADS; throws naming `where` and the value as given unless it is an integer ≥ 1. */
function check(n: number, where: string, given: string = String(n)): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${where}: expected an integer ≥ 1, got ${given}`);
  return Math.min(n, MAX_THREADS);
}

/**
 * Sets how many threads large float32 GEMMs on the wasm backend are split over (the calling
 * thread plus `n - 1` workers; 1 turns splitting off; at most 8). Threads need shared memory:
 * Node, or a cross-origin-isolated page; elsewhere everything runs on the calling thread.
 * @example setNumThreads(1); // like torch.set_num_threads(1)
 */
export function setNumThreads(n: number): void {
  current = check(n, "setNumThreads");
}

/**
 * The thread count set by `setNumThreads`, else `RNNKIT_NUM_THREADS` (Node), else the number of
 * logical cores capped at 4.
 * @example getNumThreads(); // 2 on a 2-core machine
 */
export function getNumThreads(): number {
  if (current === undefined) {
    const env = envThreads();
    current = env !== undefined ? check(Number(env), "RNNKIT_NUM_THREADS", JSON.stringify(env)) : Math.max(1, Math.min(cores(), DEFAULT_CAP));
  }
  return current;
}
