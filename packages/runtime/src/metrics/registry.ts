/**
 * The one Prometheus registry of a process. Every Stepwise metric is named `stepwise_…`, the Node.js
 * process metrics (CPU, memory, event loop lag, GC) included, so one prefix finds them all.
 */
import { collectDefaultMetrics, Registry } from "prom-client";

export const METRIC_PREFIX = "stepwise_";

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}
