/**
 * Per-state-machine concurrency limits: executions beyond the limit wait, first in first out, and start
 * as slots free. The limit is the machine's `stepwise:maxConcurrency` tag, so it is set with the AWS
 * API's TagResource like any other tag.
 */
import { dequeueNextPending, type Executor, markThreadsRunning, type StateMachineRecord } from "@stepwise/storage";
import { jobId, type OutboxJob } from "../queues.ts";

export const MAX_CONCURRENCY_TAG = "stepwise:maxConcurrency";

export function concurrencyLimit(machine: Pick<StateMachineRecord, "tags">): number | undefined {
  const tag = machine.tags.find((t) => t.key === MAX_CONCURRENCY_TAG);
  const limit = tag ? Number(tag.value) : Number.NaN;
  return Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

/** Admits queued executions while slots are free; returns the jobs that start them (send after commit). */
export async function admitQueued(db: Executor, stateMachineArn: string, limit: number): Promise<OutboxJob[]> {
  const jobs: OutboxJob[] = [];
  for (;;) {
    const admitted = await dequeueNextPending(db, stateMachineArn, { maxRunning: limit });
    if (!admitted) return jobs;
    await markThreadsRunning(db, admitted.executionArn, [""]);
    jobs.push({
      kind: "transition",
      jobId: jobId(admitted.executionArn, "", "start"),
      data: { executionArn: admitted.executionArn, threadId: "", trigger: { type: "run" } },
    });
  }
}
