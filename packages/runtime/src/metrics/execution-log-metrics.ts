import { Counter, type Registry } from "prom-client";
import type { ExecutionLog } from "../execution-logs/execution-log.ts";

/** Execution log records the file could not keep up with (or failed), read from the log at scrape time. */
export function executionLogMetrics(registry: Registry, log: ExecutionLog): void {
  let reported = 0;
  new Counter({
    name: "stepwise_execution_log_records_dropped_total",
    help: "Execution log records dropped because STEPWISE_EXECUTION_LOG_FILE fell behind or failed",
    registers: [registry],
    collect() {
      const dropped = log.dropped;
      if (dropped > reported) this.inc(dropped - reported);
      reported = dropped;
    },
  });
}
