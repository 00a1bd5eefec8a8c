import type { Runtime } from "../runtime.ts";

/** A dead worker's jobs go back to the queue once their lock lapses and the stalled check sees it. */
export function jobLock(runtime: Runtime): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  const lock = runtime.config.STEPWISE_JOB_LOCK_MS;
  return { lockDuration: lock, stalledInterval: Math.max(500, Math.floor(lock / 2)), maxStalledCount: 100 };
}
