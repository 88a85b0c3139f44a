import { describe } from "vitest";
import { parityTests } from "./parityOps.js";

// Forward values, dtypes, shapes and input gradients against torch (tools/parity/ops.py).
describe("parity with torch: unary ops", () => parityTests("ops_unary.json"));
