/**
 * `@stepwise/testkit`: the harnesses tests and benchmarks run Stepwise in — a real runtime on a fresh
 * Postgres schema and queue prefix, apps and workers as OS processes, metrics parsing. No production
 * process imports this package (apps/all-in-one/test/startup-modules.test.ts checks it).
 */

export * from "./app-process.ts";
export * from "./counting-chain.ts";
export * from "./database.ts";
export * from "./gate.ts";
export * from "./large-map.ts";
export * from "./memory-datasets.ts";
export * from "./otlp-receiver.ts";
export * from "./prometheus-text.ts";
export * from "./test-runtime.ts";
export * from "./worker-processes.ts";
