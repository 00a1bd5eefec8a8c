/**
 * BullMQ queue depth, read from Redis when scraped, for the queues this process knows (transitions and
 * the task queues it serves or has dispatched to). Depth is global, so aggregate with `max`, not `sum`.
 */
import { Gauge, type Registry } from "prom-client";
import type { Queues } from "../queues.ts";
import type { Guard } from "./collect-failures.ts";

export const QUEUE_JOB_STATES = ["waiting", "active", "delayed", "failed"] as const;

export function queueMetrics(registry: Registry, queues: Queues, guard: Guard): void {
  new Gauge({
    name: "stepwise_queue_jobs",
    help: "Jobs in a BullMQ queue, by state (waiting, active, delayed, failed)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      await guard("queue_jobs", async () => {
        const counted = await Promise.all(
          queues.all().map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...QUEUE_JOB_STATES) })),
        );
        for (const { queue, counts } of counted) {
          for (const state of QUEUE_JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
        }
      });
    },
  });
}
