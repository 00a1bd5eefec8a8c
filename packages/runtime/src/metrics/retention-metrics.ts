/** Retention: executions deleted past their retention period, and the rows and bytes that freed. */
import { Counter, type Registry } from "prom-client";
import type { RuntimeObserver } from "../observers.ts";

export function retentionMetrics(registry: Registry): RuntimeObserver {
  const registers = [registry];
  const executions = new Counter({
    name: "stepwise_expired_executions_total",
    help: "Closed executions deleted past their retention period (STEPWISE_EXECUTION_RETENTION, the stepwise:retention tag), child executions included",
    registers,
  });
  const rows = new Counter({
    name: "stepwise_retention_reclaimed_rows_total",
    help: "Postgres rows deleted by retention, by table",
    labelNames: ["table"],
    registers,
  });
  const bytes = new Counter({
    name: "stepwise_retention_reclaimed_bytes_total",
    help: "Bytes of the rows deleted by retention, by table, as Postgres stores each row (pg_column_size); VACUUM makes the space reusable",
    labelNames: ["table"],
    registers,
  });
  return {
    expired: (event) => {
      executions.inc(event.executions);
      for (const r of event.reclaimed) {
        rows.inc({ table: r.table }, r.rows);
        bytes.inc({ table: r.table }, r.bytes);
      }
    },
  };
}
