/**
 * Running and concurrency-queued executions, read from Postgres when scraped: two grouped counts, one
 * row per state machine. Every process reports the same totals, so dashboards take `max`, not `sum`.
 */

import { type Database, executions, pendingExecutions } from "@stepwise/storage";
import { and, count, eq, notExists, sql } from "drizzle-orm";
import { Gauge, type Registry } from "prom-client";
import type { Guard } from "./collect-failures.ts";
import { stateMachineLabel } from "./state-machine-label.ts";

export function executionGauges(registry: Registry, db: Database, guard: Guard): void {
  new Gauge({
    name: "stepwise_executions_running",
    help: "Executions RUNNING now (not counting those queued behind a concurrency limit)",
    labelNames: ["state_machine"],
    registers: [registry],
    async collect() {
      await guard("executions_running", async () => {
        const queued = db.select({ one: sql`1` }).from(pendingExecutions).where(eq(pendingExecutions.executionArn, executions.arn));
        const rows = await db
          .select({ arn: executions.stateMachineArn, n: count() })
          .from(executions)
          .where(and(eq(executions.status, "RUNNING"), notExists(queued)))
          .groupBy(executions.stateMachineArn);
        setByStateMachine(this, rows);
      });
    },
  });
  new Gauge({
    name: "stepwise_executions_pending",
    help: "Executions waiting for a free slot under their state machine's concurrency limit",
    labelNames: ["state_machine"],
    registers: [registry],
    async collect() {
      await guard("executions_pending", async () => {
        const rows = await db
          .select({ arn: pendingExecutions.stateMachineArn, n: count() })
          .from(pendingExecutions)
          .groupBy(pendingExecutions.stateMachineArn);
        setByStateMachine(this, rows);
      });
    },
  });
}

/** Versions and aliases of one machine share its name: their counts add up. */
function setByStateMachine(gauge: Gauge<"state_machine">, rows: ReadonlyArray<{ arn: string; n: number }>): void {
  const totals = new Map<string, number>();
  for (const { arn, n } of rows) {
    const name = stateMachineLabel(arn);
    totals.set(name, (totals.get(name) ?? 0) + n);
  }
  gauge.reset();
  for (const [state_machine, n] of totals) gauge.set({ state_machine }, n);
}
