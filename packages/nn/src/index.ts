export { Module, type LoadResult } from "./module.js";
export { Parameter } from "./parameter.js";
