/**
 * Phase 2 of a soak: StartExecution at a fixed rate, whatever happens to the executions (open loop), so a
 * cluster that falls behind shows it as growing latency and backlog rather than as a lower rate.
 */
import type { ExecutionStarter } from "./execution-starter.ts";

export interface OfferedLoad {
  /** Starts due at the rate over the duration. */
  due: number;
  /** Starts sent; fewer than due when the API had `maxPendingStarts` requests unanswered. */
  sent: number;
}

/** Calls `onTick` (e.g. to sample memory) every `tickMs` while the load runs. */
export async function offerLoad(
  starter: ExecutionStarter,
  options: { perSecond: number; durationMs: number; maxPendingStarts: number; tickMs: number; onTick: () => Promise<void> },
): Promise<OfferedLoad> {
  const origin = starter.now();
  const pending = new Set<Promise<unknown>>();
  let sent = 0;
  let due = 0;
  let nextTick = options.tickMs;
  const ticks: Promise<void>[] = [];
  for (;;) {
    const elapsed = starter.now() - origin;
    if (elapsed >= options.durationMs) break;
    if (elapsed >= nextTick) {
      ticks.push(options.onTick());
      nextTick += options.tickMs;
    }
    due = Math.floor((elapsed / 1000) * options.perSecond);
    while (sent < due && pending.size < options.maxPendingStarts) {
      const request = starter.startNext().finally(() => pending.delete(request));
      pending.add(request);
      sent += 1;
    }
    const nextDueAt = origin + ((due + 1) / options.perSecond) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(nextDueAt - starter.now(), 50))));
  }
  await Promise.all([...pending, ...ticks]);
  return { due, sent };
}
