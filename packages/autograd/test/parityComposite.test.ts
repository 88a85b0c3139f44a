import { parityTests } from "./parityOps.js";

// Small models (LSTM/GRU cells, unrolled RNN, attention, layer norm, cross entropy) built from
// rnnkit ops: values and every gradient against torch (tools/parity/ops.py).
parityTests("ops_composite.json", "parity with torch: composite ops");
