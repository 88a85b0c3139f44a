/** Timing and peak-memory sampling shared by the Node peers; each peer runs in its own process. */
export interface Measurement {
  peer: string;
  workload: string;
  timesMs: number[];
  peakRssMB: number;
  peakHeapMB: number;
  note?: string;
}

export interface MeasureOptions {
  warmup: number;
  /** Warm-up also goes on until this much time was spent, so the JIT has tiered up small steps. */
  warmupMs: number;
  minReps: number;
  maxReps: number;
  /** Stop adding repetitions once this much time was spent measuring (after minReps). */
  budgetMs: number;
}

let peakHeap = 0;

/** Records the current heap (JS heap plus ArrayBuffers, where typed-array data lives). */
export function sampleMemory(): void {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
}

/**
 * Runs `step` at least `warmup` times and for at least `warmupMs`, then times each call until
 * the budget is spent (at least minReps, at most maxReps). Steps slower than 2 s get one warmup
 * call, and repetitions stop at 4× the budget even below minReps (always at least one).
 */
export async function measure(step: () => void | Promise<void>, opts: MeasureOptions): Promise<number[]> {
  const warmStart = performance.now();
  for (let i = 0; i < opts.warmup || performance.now() - warmStart < opts.warmupMs; i++) {
    const t0 = performance.now();
    await step();
    sampleMemory();
    if (performance.now() - t0 > 2000) break;
  }
  const times: number[] = [];
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
    sampleMemory();
    const spent = performance.now() - start;
    if (times.length >= opts.maxReps) break;
    if (times.length >= opts.minReps && spent >= opts.budgetMs) break;
    if (spent >= 4 * opts.budgetMs) break;
  }
  return times;
}

/** Peak resident set size (the OS's high-water mark) and the sampled heap peak, in MB. */
export function peaks(): { peakRssMB: number; peakHeapMB: number } {
  return { peakRssMB: process.resourceUsage().maxRSS / 1024, peakHeapMB: peakHeap / 2 ** 20 };
}

/** Prints the one line the orchestrator parses. */
export function report(m: Measurement): void {
  process.stdout.write(`RESULT ${JSON.stringify(m)}\n`);
}

/**
 * Repetition settings: GEMM and tiny steps repeat more than big training steps. The timing budget
 * is 6 s (1.5 s quick) unless `RNNKIT_BENCH_BUDGET_S` sets it (the orchestrator splits it over rounds).
 */
export function defaultOptions(kind: string, quick: boolean): MeasureOptions {
  const env = Number(process.env.RNNKIT_BENCH_BUDGET_S);
  const budgetMs = env > 0 ? env * 1000 : quick ? 1500 : 6000;
  const warmupMs = quick ? 300 : 1000;
  if (kind === "gemm") return { warmup: 2, warmupMs, minReps: 5, maxReps: 50, budgetMs };
  return { warmup: quick ? 2 : 3, warmupMs, minReps: quick ? 3 : 5, maxReps: 5000, budgetMs };
}
