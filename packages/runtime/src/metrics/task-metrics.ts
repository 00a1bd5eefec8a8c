/** Task handlers run by workers (and how many of those runs skipped the queue), and BullMQ jobs whose worker stopped renewing their lock. */
import { Counter, Histogram, type Registry } from "prom-client";
import type { RuntimeObserver } from "../observers.ts";

const TASK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export function taskMetrics(registry: Registry): RuntimeObserver {
  const registers = [registry];
  const duration = new Histogram({
    name: "stepwise_task_duration_seconds",
    help: "Task handler run time, by handler (the resource's worker queue) and outcome",
    labelNames: ["handler", "outcome"],
    buckets: TASK_BUCKETS,
    registers,
  });
  const runs = new Counter({
    name: "stepwise_tasks_total",
    help: "Task handler runs, by handler and outcome (succeeded, failed)",
    labelNames: ["handler", "outcome"],
    registers,
  });
  const local = new Counter({
    name: "stepwise_local_tasks_total",
    help: "Task attempts a worker ran itself, without their queue (STEPWISE_LOCAL_TASKS), by handler and mode: inline (answered inside the transition that scheduled them) or after_commit",
    labelNames: ["handler", "mode"],
    registers,
  });
  const stalled = new Counter({
    name: "stepwise_stalled_jobs_total",
    help: "Jobs taken back into their queue because the worker holding them stopped renewing its lock",
    labelNames: ["queue"],
    registers,
  });
  return {
    task: ({ handler, outcome, durationMs }) => {
      duration.observe({ handler, outcome }, durationMs / 1000);
      runs.inc({ handler, outcome });
    },
    localTask: ({ handler, mode }) => local.inc({ handler, mode }),
    jobStalled: ({ queue }) => stalled.inc({ queue }),
  };
}
