export * from "./elementwise.js";
export * from "./reduce.js";
export * from "./linalg.js";
export * from "./shape.js";
export * from "./indexing.js";
export * from "./write.js";
