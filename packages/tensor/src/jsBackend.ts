import type { Backend } from "./backend.js";
import { axpy, binary, cast, clamp, powScalar, unary, where } from "./kernels/elementwise.js";
import { cat, flip, gather, indexAdd, indexSelect, oneHot, scatterAdd } from "./kernels/indexing.js";
import { gemm, matmul } from "./kernels/matmul.js";
import { argReduce, logsumexp, reduce, softmax } from "./kernels/reduce.js";

/** The reference backend: plain TypeScript, every kernel, runs wherever JavaScript runs. */
export const jsBackend: Backend = {
  name: "js",
  unary,
  binary,
  powScalar,
  clamp,
  where,
  axpy,
  cast,
  reduce,
  argReduce,
  logsumexp,
  softmax,
  matmul,
  gemm,
  indexSelect,
  indexAdd,
  gather,
  scatterAdd,
  cat,
  flip,
  oneHot,
};

let active: Backend = jsBackend;

/** The backend kernels run on. */
export function backend(): Backend {
  return active;
}

/** Selects the backend every later kernel call uses; returns the previous one. */
export function setBackend(b: Backend): Backend {
  const prev = active;
  active = b;
  return prev;
}
