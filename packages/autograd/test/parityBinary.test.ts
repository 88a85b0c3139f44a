import { parityTests } from "./parityOps.js";

// Forward values, dtypes, shapes and input gradients against torch (tools/parity/ops.py).
parityTests("ops_binary.json", "parity with torch: binary ops");
