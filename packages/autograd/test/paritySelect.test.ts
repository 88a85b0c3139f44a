import { parityTests } from "./parityOps.js";

// Forward values, dtypes, shapes and input gradients against torch (tools/parity/ops.py).
parityTests("ops_select.json", "parity with torch: select ops");
