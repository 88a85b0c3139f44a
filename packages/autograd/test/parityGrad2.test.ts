import { parityTests } from "./parityOps.js";

// Second derivatives: gradients built with createGraph, differentiated again (tools/parity/ops.py).
parityTests("ops_grad2.json", "parity with torch: second-order gradients");
