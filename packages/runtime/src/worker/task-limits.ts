/**
 * Per-handler limits that hold across the cluster: at most `concurrency` tasks of a handler run at once,
 * and at most `perSecond` start per second, whichever workers run them. BullMQ keeps both in Redis on
 * the handler's queue, so every worker obeys the same numbers.
 */
import { z } from "zod";
import type { Runtime } from "../runtime.ts";

const limitsSchema = z.record(
  z.string(),
  z.object({ concurrency: z.number().int().positive().optional(), perSecond: z.number().int().positive().optional() }).strict(),
);

export type TaskLimits = z.infer<typeof limitsSchema>;

export function parseTaskLimits(text: string): TaskLimits {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`STEPWISE_TASK_LIMITS is not JSON: ${(e as Error).message}`);
  }
  const parsed = limitsSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`STEPWISE_TASK_LIMITS: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

export async function applyTaskLimits(runtime: Runtime, limits: TaskLimits): Promise<void> {
  for (const [handler, limit] of Object.entries(limits)) {
    const queue = runtime.queues.taskQueue(handler);
    if (limit.concurrency !== undefined) await queue.setGlobalConcurrency(limit.concurrency);
    if (limit.perSecond !== undefined) await queue.setGlobalRateLimit(limit.perSecond, 1000);
  }
}
