/** Test and benchmark harnesses of the runtime (`@stepwise/runtime/testing`): never used by production code. */
export * from "./app-process.ts";
export * from "./large-map.ts";
export * from "./memory-datasets.ts";
export * from "./prometheus-text.ts";
export * from "./test-runtime.ts";
export * from "./worker-processes.ts";
