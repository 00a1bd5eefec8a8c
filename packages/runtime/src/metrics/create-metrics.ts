/**
 * Every process's metrics, built the same way: `createMetrics(runtime)` then serve `metrics.registry` on
 * `/metrics`. Counters come from what this process's engine and workers report; gauges (running and
 * queued executions, queue depth) are read from Postgres and Redis at scrape time.
 */
import type { Registry } from "prom-client";
import type { Runtime } from "../runtime.ts";
import { collectGuard } from "./collect-failures.ts";
import { executionGauges } from "./execution-gauges.ts";
import { executionLogMetrics } from "./execution-log-metrics.ts";
import { executionMetrics } from "./execution-metrics.ts";
import { queueMetrics } from "./queue-metrics.ts";
import { createRegistry } from "./registry.ts";
import { retentionMetrics } from "./retention-metrics.ts";
import { taskMetrics } from "./task-metrics.ts";
import { droppedSpanMetrics } from "./tracing-metrics.ts";
import { transitionMetrics } from "./transition-metrics.ts";

export interface Metrics {
  registry: Registry;
  /** Stops listening to the runtime (the registry keeps its values). */
  close(): void;
}

export function createMetrics(runtime: Runtime): Metrics {
  const registry = createRegistry();
  const guard = collectGuard(registry, runtime.logger);
  const detach = [executionMetrics(registry), transitionMetrics(registry), taskMetrics(registry), retentionMetrics(registry)].map((o) =>
    runtime.observers.add(o),
  );
  executionGauges(registry, runtime.db, guard);
  queueMetrics(registry, runtime.queues, guard);
  executionLogMetrics(registry, runtime.executionLog);
  droppedSpanMetrics(registry, runtime.droppedSpans);
  return {
    registry,
    close: () => {
      for (const d of detach) d();
    },
  };
}
