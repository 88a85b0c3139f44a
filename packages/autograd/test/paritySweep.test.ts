import { parityTests } from "./parityOps.js";

// A seeded random sweep of broadcast shapes, reduction dims and operand layouts (tools/parity/ops.py).
parityTests("ops_sweep.json", "parity with torch: random sweep");
