import type { Backend } from "./backend.js";
import { axpy, binary, cast, clamp, powScalar, unary, where } from "./kernels/elementwise.js";
import { cat, flip, gather, indexAdd, indexSelect, oneHot, scatterAdd } from "./kernels/indexing.js";
import { affineRowsOn, linearGradsOn } from "./kernels/linearProducts.js";
import { gemm, matmul } from "./kernels/matmul.js";
import { prepareGemmB } from "./kernels/preparedGemm.js";
import { runRecurrentSequence } from "./kernels/recurrentSequence.js";
import { runRecurrentSequenceBackward } from "./kernels/recurrentSequenceBackward.js";
import { gruCell, gruCellBackward, lstmCell, lstmCellBackward, rnnCell, rnnCellBackward } from "./kernels/recurrentCells.js";
import { argReduce, logsumexp, nllLogSoftmaxBackward, reduce, softmax, softmaxBackward } from "./kernels/reduce.js";

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
  softmaxBackward,
  nllLogSoftmaxBackward,
  matmul,
  gemm,
  affineRows: (N, I, O, x, w, bias, out) => affineRowsOn(gemm, N, I, O, x, w, bias, out),
  linearGrads: (N, I, O, g, w, x, dx, dw, db) => linearGradsOn(gemm, N, I, O, g, w, x, dx, dw, db),
  prepareGemmB,
  rnnCell,
  lstmCell,
  gruCell,
  rnnCellBackward,
  lstmCellBackward,
  gruCellBackward,
  recurrentSequence: (s) => runRecurrentSequence(jsBackend, s),
  recurrentSequenceBackward: (s) => runRecurrentSequenceBackward(jsBackend, s),
  indexSelect,
  indexAdd,
  gather,
  scatterAdd,
  cat,
  flip,
  oneHot,
};
