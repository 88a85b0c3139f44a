import { parityTests } from "./parityOps.js";

// Forward values, dtypes, shapes and input gradients against torch (tools/parity/ops.py).
parityTests("ops_reduce.json", "parity with torch: reduce ops");
