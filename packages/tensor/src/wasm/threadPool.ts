// Worker threads that run chunks of a kernel call over the shared wasm memory. Everything the
// caller and the workers exchange lives in the control block in that memory (see
// workerSource.ts), so the synchronous backend never needs the event loop: it reads `ready` with
// Atomics.load, posts a job by bumping `seq`, and waits on `finished`.
import type { WasmKernels } from "./loader.js";
import { ARGS, CONTROL_BYTES, MAX_ARGS, MAX_CHUNKS, MAX_WORKERS, WORD, WORKER_SOURCE } from "./workerSource.js";

/** The kernel exports a worker can run (indices are the job's `op`). */
export const JOB_EXPORTS = ["gemm", "gemmPacked", "gemmPrepacked", "gruStep", "lstmStep", "softmaxRows", "softmaxBackRows", "nllLogSoftmaxBackRows", "rowProduct", "columnSums"] as const;
/** A kernel export a worker can run. */
export type JobOp = (typeof JOB_EXPORTS)[number];

/**
 * A kernel call cut into chunks: chunk c covers `bounds[c]..bounds[c + 1]` and runs `op` with
 * `args[i] = base[i] + lo · loCoef[i] + hi · hiCoef[i]`, argument `workArg` replaced by the
 * running thread's own GEMM workspace.
 */
export interface ChunkedJob {
  readonly op: JobOp;
  readonly base: readonly number[];
  readonly loCoef: readonly number[];
  readonly hiCoef: readonly number[];
  readonly workArg: number;
  readonly bounds: readonly number[];
}

/** What a worker receives once, before its first job. */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Byte address of the control block. */
  readonly control: number;
  /** Its index: it reports ready at `WORD.ready + worker`. */
  readonly worker: number;
  /** Byte address of its own GEMM workspace. */
  readonly work: number;
  readonly names: readonly string[];
}

/**
 * Starts one worker running `source` and posts it `init`. Returns the worker (the pool keeps it
 * referenced), or null where threads are unavailable.
 */
export type Spawner = (source: string, init: WorkerInit) => object | null;

/**
 * Polls of `finished` the caller makes before it sleeps on it (~250 µs): the caller is on the
 * critical path and the last chunks end within a chunk's time, so it waits awake (W4: 43.9–52.2
 * ms per step vs 44.6–55.5 with 200 polls).
 */
const CALLER_SPIN = 20000;

interface NodeWorker {
  unref(): void;
  on(event: "error", listener: (err: unknown) => void): void;
  postMessage(value: unknown): void;
}
type NodeWorkerThreads = { Worker: new (src: string, opts: { eval: true }) => NodeWorker };

/** Node's worker_threads reached without a static import (bundlers for browsers never see it), or null. */
function nodeWorkerThreads(): NodeWorkerThreads | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (proc?.getBuiltinModule?.("node:worker_threads") as NodeWorkerThreads | undefined) ?? null;
}

/**
 * Node: a `worker_threads` Worker evaluating the source, `unref()`ed so it never keeps the
 * process alive. Browsers and web workers: a `Worker` from a blob URL, only when cross-origin
 * isolated (shared memory cannot be posted otherwise).
 */
export const defaultSpawner: Spawner = (source, init) => {
  const wt = nodeWorkerThreads();
  if (wt) {
    const w = new wt.Worker(source, { eval: true });
    w.unref();
    // A worker that fails never reports ready; the pool just keeps running single-threaded.
    w.on("error", () => undefined);
    w.postMessage(init);
    return w;
  }
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (typeof Worker === "undefined" || g.crossOriginIsolated !== true) return null;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  w.postMessage(init);
  return w;
};

/**
 * Up to `MAX_WORKERS` workers over one shared kernels instance, started lazily. `run` posts a
 * chunked job; the caller and every awake worker claim chunks until none are left, then the
 * caller waits for the claimed ones: with `Atomics.wait` where the thread may block, by polling
 * on a browser main thread.
 */
export class ThreadPool {
  private readonly kernels: WasmKernels;
  private readonly spawn: Spawner;
  private readonly words: Int32Array;
  private readonly base: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** The arguments of the caller's own chunks, reused. */
  private readonly callArgs = new Float64Array(MAX_ARGS);
  /** The started workers (null where one could not start), kept referenced while the pool lives. */
  private readonly handles: (object | null)[] = [];
  private readonly canBlock: boolean;
  /** Set by `close`: the pool is then never used again. */
  private broken = false;

  constructor(kernels: WasmKernels, spawn: Spawner = defaultSpawner) {
    if (!kernels.shared) throw new Error("ThreadPool: the kernels' memory is not shared");
    this.kernels = kernels;
    this.spawn = spawn;
    const buffer = kernels.exports.memory.buffer;
    const at = kernels.controlBase;
    // Views over a shared memory stay valid when it grows, so these are made once.
    this.words = new Int32Array(buffer, at, CONTROL_BYTES / 4);
    this.base = new Float64Array(buffer, at + ARGS.base, MAX_ARGS);
    this.lo = new Float64Array(buffer, at + ARGS.lo, MAX_ARGS);
    this.hi = new Float64Array(buffer, at + ARGS.hi, MAX_ARGS);
    this.words.fill(0);
    this.canBlock = mayBlock(this.words);
  }

  /**
   * How many workers (at most `wanted`) are ready now, starting any of the first `wanted` not yet
   * started. Workers start asynchronously, so this is 0 until they have instantiated the module.
   */
  available(wanted: number): number {
    if (this.broken) return 0;
    const n = Math.min(wanted, MAX_WORKERS);
    for (let w = this.handles.length; w < n; w++) this.start(w);
    let ready = 0;
    while (ready < n && Atomics.load(this.words, WORD.ready + ready) === 1) ready++;
    return ready;
  }

  private start(w: number): void {
    const init: WorkerInit = {
      module: this.kernels.module,
      memory: this.kernels.exports.memory,
      control: this.kernels.controlBase,
      worker: w,
      work: this.kernels.workerWork[w]!,
      names: JOB_EXPORTS,
    };
    let handle: object | null = null;
    try {
      handle = this.spawn(WORKER_SOURCE, init);
    } catch {
      handle = null;
    }
    this.handles.push(handle);
  }

  /** Resolves to true once `wanted` workers are ready, false after `timeoutMs` (or when they cannot start). */
  async whenReady(wanted: number, timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.available(wanted) < wanted) {
      if (Date.now() > until || this.broken) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /**
   * Runs every chunk of `job` (at most `MAX_CHUNKS`) on this thread and whichever workers claim
   * some, and returns when all are done. A chunk that threw in a worker is rerun here, so its
   * error surfaces on the caller.
   */
  run(job: ChunkedJob): void {
    const w = this.words;
    const count = job.bounds.length - 1;
    const fn = this.kernels.exports[job.op] as (...args: number[]) => void;
    // The caller's chunks read the job from the control block, as the workers do (no allocation).
    const a = this.callArgs;
    const chunk = (c: number): void => {
      const l = job.bounds[c]!;
      const h = job.bounds[c + 1]!;
      for (let i = 0; i < MAX_ARGS; i++) a[i] = this.base[i]! + l * this.lo[i]! + h * this.hi[i]!;
      a[job.workArg] = this.kernels.workBase;
      fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!);
    };
    if (count > MAX_CHUNKS) throw new Error(`ThreadPool.run: ${count} chunks, at most ${MAX_CHUNKS}`);
    // No chunk of the previous job is outstanding, so nobody reads these fields now.
    this.base.fill(0).set(job.base);
    this.lo.fill(0).set(job.loCoef);
    this.hi.fill(0).set(job.hiCoef);
    for (let c = 0; c <= count; c++) w[WORD.bounds + c] = job.bounds[c]!;
    w[WORD.workArg] = job.workArg;
    Atomics.store(w, WORD.op, JOB_EXPORTS.indexOf(job.op));
    Atomics.store(w, WORD.error, 0);
    Atomics.store(w, WORD.finished, 0);
    Atomics.store(w, WORD.claim, count << 10);
    Atomics.add(w, WORD.seq, 1);
    // A worker about to sleep counts itself first, then re-checks `seq` in Atomics.wait: one that
    // is counted gets this notify, one that is not yet counted sees the new job.
    if (Atomics.load(w, WORD.sleepers) > 0) Atomics.notify(w, WORD.seq);
    let mine = 0;
    let failure: unknown = null;
    for (;;) {
      const v = Atomics.load(w, WORD.claim);
      const c = v & 1023;
      if (c >= count) break;
      if (Atomics.compareExchange(w, WORD.claim, v, v + 1) !== v) continue;
      try {
        chunk(c);
      } catch (e) {
        failure = e;
      }
      mine++;
    }
    // Workers may still run claimed chunks: wait for them before anything (even an error) returns.
    const done = mine === count ? count : Atomics.add(w, WORD.finished, mine) + mine;
    if (done !== count) this.awaitFinished(count);
    if (failure !== null) throw failure;
    const failed = Atomics.load(w, WORD.error);
    if (failed !== 0) chunk(failed - 1);
  }

  /**
   * Waits until `count` chunks are finished, however long that takes: a worker holding a chunk
   * is never given up on, since it would go on writing into memory the caller reuses (a worker's
   * kernel errors are caught and counted as finished, so only a stopped thread could hang here).
   */
  private awaitFinished(count: number): void {
    const w = this.words;
    for (let i = 0; i < CALLER_SPIN; i++) if (Atomics.load(w, WORD.finished) === count) return;
    for (;;) {
      const done = Atomics.load(w, WORD.finished);
      if (done === count) return;
      if (this.canBlock) Atomics.wait(w, WORD.finished, done);
    }
  }

  /** Tells every worker to exit and stops using the pool (workers never keep a Node process alive anyway). */
  close(): void {
    this.broken = true;
    Atomics.store(this.words, WORD.exit, 1);
    Atomics.add(this.words, WORD.seq, 1);
    Atomics.notify(this.words, WORD.seq);
  }
}

/** True when this thread may block in `Atomics.wait` (browser main threads may not). */
function mayBlock(words: Int32Array): boolean {
  try {
    Atomics.wait(words, WORD.ready, -12345, 0);
    return true;
  } catch {
    return false;
  }
}

const pools = new WeakMap<WasmKernels, ThreadPool>();

/** The one pool of a shared kernels instance (made on first use), or null for kernels that own their memory. */
export function threadPool(kernels: WasmKernels): ThreadPool | null {
  if (!kernels.shared) return null;
  let pool = pools.get(kernels);
  if (!pool) {
    pool = new ThreadPool(kernels);
    pools.set(kernels, pool);
  }
  return pool;
}
