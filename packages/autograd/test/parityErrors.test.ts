import { parityTests } from "./parityOps.js";

// Calls torch rejects must throw an Error naming the operation in rnnkit too (tools/parity/ops.py).
parityTests("ops_errors.json", "parity with torch: bad input");
