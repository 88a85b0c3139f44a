export { wordOrigin, WordOriginDataset, type WordOriginOptions } from "./wordOrigin.js";
