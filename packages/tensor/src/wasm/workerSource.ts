// The script each kernel worker thread runs, as source text: Node starts it with
// `new Worker(src, { eval: true })` and browsers from a blob URL, so no bundler has to know about
// a separate worker file. It must stay plain ES2020 with no imports.
//
// One job at a time lives in a control block of the shared memory: a kernel export, its
// arguments as a linear function of a chunk's bounds, and the chunk bounds. The caller and the
// workers claim chunks with a compare-and-swap on one word that holds (chunk count, next chunk),
// so a worker that is late or never scheduled just claims nothing, and the caller does the rest.

/** Worker threads a shared kernels instance can have: at most 8 threads (the caller plus 7). */
export const MAX_WORKERS = 7;
/** Most chunks one job is cut into. */
export const MAX_CHUNKS = 64;
/** Most arguments a job's kernel takes. */
export const MAX_ARGS = 16;
/**
 * Polls of the job counter a worker makes after a job before it sleeps (~0.2–0.6 ms): the steps
 * of a recurrent sequence post jobs a few µs apart, and a sleeping worker takes ~10–50 µs to
 * wake (plus the caller's notify), which on a 16 × 256 GRU step is a third of the step.
 */
export const WORKER_SPIN = 20000;
/** Bytes of the control block. */
export const CONTROL_BYTES = 1024;

/** Int32 word indices in the control block. */
export const WORD = {
  /** Job counter the caller bumps (then notifies) when it posts a job. */
  seq: 0,
  /** `count << 10 | next`: chunks of the current job, and the next unclaimed one. */
  claim: 1,
  /** Chunks of the current job finished so far (whoever finishes the last one notifies). */
  finished: 2,
  /** Index into the export names of the job's kernel. */
  op: 3,
  /** 1 + the index of a chunk that threw in a worker (the caller reruns it, so the error surfaces there); 0 if none. */
  error: 4,
  /** Set to 1 to make every worker exit. */
  exit: 5,
  /** Index of the argument each thread replaces with the byte address of its own GEMM workspace. */
  workArg: 6,
  /** Workers asleep on `seq` now (the caller skips the notify when there are none). */
  sleepers: 7,
  /** Worker w stores 1 at `ready + w` once it instantiated the module (2 if that failed). */
  ready: 8,
  /** `MAX_CHUNKS + 1` chunk bounds start here. */
  bounds: 16,
} as const;
/** Byte offsets of the job's argument vectors (float64 × MAX_ARGS each): arg = base + lo·loCoef + hi·hiCoef. */
export const ARGS = { base: 512, lo: 640, hi: 768 } as const;

/**
 * Receives `{ module, memory, control, worker, work, names }` once, instantiates the module over
 * the shared memory, then loops: wait for the job counter to move, and claim and run chunks of
 * the posted job until none are left. After a job it polls for `WORKER_SPIN` rounds, then sleeps
 * with `Atomics.wait`, counted in `sleepers` so the caller notifies only when someone sleeps.
 * Polling is kept short: a worker that polls for long on a machine with other load loses its
 * time slices and takes CPU from the caller.
 */
export const WORKER_SOURCE = `"use strict";
const node = typeof self === "undefined";
const port = node ? require("node:worker_threads").parentPort : self;
function start(msg) {
  const buf = msg.memory.buffer;
  const w = new Int32Array(buf, msg.control, ${CONTROL_BYTES / 4});
  const base = new Float64Array(buf, msg.control + ${ARGS.base}, ${MAX_ARGS});
  const lo = new Float64Array(buf, msg.control + ${ARGS.lo}, ${MAX_ARGS});
  const hi = new Float64Array(buf, msg.control + ${ARGS.hi}, ${MAX_ARGS});
  const a = new Float64Array(${MAX_ARGS});
  let fns;
  try {
    const instance = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
    fns = msg.names.map((name) => instance.exports[name]);
  } catch (e) {
    Atomics.store(w, ${WORD.ready} + msg.worker, 2);
    return;
  }
  let last = Atomics.load(w, ${WORD.seq});
  Atomics.store(w, ${WORD.ready} + msg.worker, 1);
  let idle = 0;
  for (;;) {
    const s = Atomics.load(w, ${WORD.seq});
    if (s === last) {
      if (++idle > ${WORKER_SPIN}) {
        Atomics.add(w, ${WORD.sleepers}, 1);
        Atomics.wait(w, ${WORD.seq}, last);
        Atomics.sub(w, ${WORD.sleepers}, 1);
      }
      continue;
    }
    idle = 0;
    last = s;
    if (Atomics.load(w, ${WORD.exit}) !== 0) break;
    for (;;) {
      const v = Atomics.load(w, ${WORD.claim});
      const c = v & 1023;
      const count = v >>> 10;
      if (c >= count) break;
      if (Atomics.compareExchange(w, ${WORD.claim}, v, v + 1) !== v) continue;
      // The claimed chunk is unfinished, so the job's fields cannot change under us.
      const l = w[${WORD.bounds} + c];
      const h = w[${WORD.bounds} + c + 1];
      for (let i = 0; i < ${MAX_ARGS}; i++) a[i] = base[i] + l * lo[i] + h * hi[i];
      a[w[${WORD.workArg}]] = msg.work;
      try {
        fns[w[${WORD.op}]](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
      } catch (e) {
        Atomics.store(w, ${WORD.error}, c + 1);
      }
      if (Atomics.add(w, ${WORD.finished}, 1) + 1 === count) Atomics.notify(w, ${WORD.finished});
    }
  }
  if (node) port.close();
  else self.close();
}
if (node) port.once("message", start);
else self.onmessage = (e) => start(e.data);
`;
