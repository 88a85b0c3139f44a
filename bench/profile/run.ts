// Times (and, with --cpu-prof, profiles) one rnnkit workload: argv = <W1|W2|W3|W4|W6|W6g> [js|wasm] [reps].
// Prints the median, min and max ms per step after a warm-up; under `node --expose-gc`, also the
// live heap after a full GC at every tenth of the run (to check for growth across steps).
import * as rk from "rnnkit";
import { setBackend } from "@rnnkit/tensor";

type Step = () => void;

function train(id: string): Step {
  const cfg: Record<string, { cell: "rnn" | "lstm"; vocab: number; emb: number; hidden: number; layers: number; seq: number; batch: number; lr: number }> = {
    W1: { cell: "rnn", vocab: 4, emb: 10, hidden: 8, layers: 2, seq: 5, batch: 1, lr: 0.05 },
    W2: { cell: "lstm", vocab: 65, emb: 64, hidden: 128, layers: 1, seq: 32, batch: 32, lr: 0.002 },
    W3: { cell: "lstm", vocab: 65, emb: 128, hidden: 256, layers: 2, seq: 64, batch: 32, lr: 0.002 },
  };
  const w = cfg[id];
  if (!w) throw new Error(`profile: unknown workload ${id}`);
  rk.manualSeed(0);
  const emb = new rk.nn.Embedding(w.vocab, w.emb);
  const opts = { numLayers: w.layers, batchFirst: id === "W1" };
  const lstm = w.cell === "lstm" ? new rk.nn.LSTM(w.emb, w.hidden, opts) : null;
  const rnn = w.cell === "rnn" ? new rk.nn.RNN(w.emb, w.hidden, opts) : null;
  const fc = new rk.nn.Linear(w.hidden, w.vocab);
  const params = [...emb.parameters(), ...(lstm ?? rnn!).parameters(), ...fc.parameters()];
  const opt = new rk.optim.Adam(params, { lr: w.lr });
  const lossFn = new rk.nn.CrossEntropyLoss();
  const x = id === "W1" ? rk.tensor([[2, 0, 1, 1, 3]], { dtype: "int32" }) : rk.randint(0, w.vocab, [w.seq, w.batch]);
  const y = id === "W1" ? rk.tensor([3, 2, 1, 3, 1], { dtype: "int32" }) : rk.randint(0, w.vocab, [w.seq * w.batch]);
  return () => {
    opt.zeroGrad();
    const e = emb.forward(x);
    const out = lstm ? lstm.forward(e)[0] : rnn!.forward(e)[0];
    const loss = lossFn.forward(fc.forward(out.reshape([-1, w.hidden])), y);
    loss.backward();
    opt.step();
  };
}

function infer(): Step {
  rk.manualSeed(0);
  const gru = new rk.nn.GRU(128, 256);
  const x = rk.randn([100, 16, 128]);
  return () => {
    rk.noGrad(() => gru.forward(x));
  };
}

/** W6 / W6g: one step of a 2-layer LSTM / GRU (512 → 512), batch 1, state carried, under noGrad. */
function stream(gru: boolean): Step {
  rk.manualSeed(0);
  const x = rk.randn([1, 1, 512]);
  if (gru) {
    const net = new rk.nn.GRU(512, 512, { numLayers: 2 });
    let h = rk.zeros([2, 1, 512]);
    return () => {
      h = rk.noGrad(() => net.forward(x, h)[1]);
    };
  }
  const net = new rk.nn.LSTM(512, 512, { numLayers: 2 });
  let state: [rk.Tensor, rk.Tensor] = [rk.zeros([2, 1, 512]), rk.zeros([2, 1, 512])];
  return () => {
    state = rk.noGrad(() => net.forward(x, state)[1]);
  };
}

const [id = "W2", be = "wasm", repsArg] = process.argv.slice(2);
setBackend(be === "js" ? "js" : "wasm");
const step = id === "W4" ? infer() : id === "W6" || id === "W6g" ? stream(id === "W6g") : train(id);
const reps = Number(repsArg ?? (id === "W1" ? 3000 : id === "W3" ? 8 : id.startsWith("W6") ? 500 : 20));
for (let i = 0; i < Math.max(3, Math.ceil(reps / 5)); i++) step();
// Wall and process CPU time per step (CPU time is less sensitive to other load on the machine),
// over blocks of `inner` steps so the clock calls do not weigh on the tiny W1.
const inner = id === "W1" ? 100 : 1;
const blocks = Math.max(1, Math.round(reps / inner));
const times: number[] = [];
const cpu: number[] = [];
// With node --expose-gc: the live heap (JS + ArrayBuffers) after a full GC, every tenth of the run.
const gc = (globalThis as { gc?: () => void }).gc;
const live: string[] = [];
const sampleLive = (): void => {
  if (!gc) return;
  gc();
  const m = process.memoryUsage();
  live.push(((m.heapUsed + m.arrayBuffers) / 2 ** 20).toFixed(1));
};
sampleLive();
for (let i = 0; i < blocks; i++) {
  if (i > 0 && i % Math.max(1, Math.round(blocks / 10)) === 0) sampleLive();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let j = 0; j < inner; j++) step();
  times.push((performance.now() - t0) / inner);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000 / inner);
}
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
const fmtMs = (v: number): string => v.toFixed(3);
console.log(`${id} ${be}: median ${fmtMs(median(times))} ms/step wall, ${fmtMs(median(cpu))} ms/step cpu (min wall ${fmtMs(Math.min(...times))}, ${blocks} blocks of ${inner})`);
if (gc) {
  sampleLive();
  console.log(`live heap + ArrayBuffers after GC, MB, through the run: ${live.join(" ")}`);
}
