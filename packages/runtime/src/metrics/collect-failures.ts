/**
 * Gauges read from Postgres and Redis when scraped. When a store does not answer, the scrape still
 * succeeds (the process metrics matter most then); the failure is logged and counted instead.
 */
import { Counter, type Registry } from "prom-client";
import type { Logger } from "../logger.ts";

export type Guard = (collector: string, collect: () => Promise<void>) => Promise<void>;

export function collectGuard(registry: Registry, logger: Logger): Guard {
  const failures = new Counter({
    name: "stepwise_metrics_collect_failures_total",
    help: "Scrapes in which a gauge could not be read from Postgres or Redis",
    labelNames: ["collector"],
    registers: [registry],
  });
  return async (collector, collect) => {
    try {
      await collect();
    } catch (err) {
      failures.inc({ collector });
      logger.warn({ err, collector }, "metrics collection failed");
    }
  };
}
