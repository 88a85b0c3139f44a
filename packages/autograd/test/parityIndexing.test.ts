import { parityTests } from "./parityOps.js";

// Forward values, dtypes, shapes and input gradients against torch (tools/parity/ops.py).
parityTests("ops_indexing.json", "parity with torch: indexing ops");
