/**
 * One transaction's transitions (a group commit's members, or one alone) in a handful of statements
 * whatever their number: every execution locked, its requested threads and next event id read, every
 * guard checked, then every member applied in memory, then all the rows they add written at once. A statement costs a round trip
 * and a wake-up of both processes, which on a small statement is most of its cost; a statement per
 * member was most of what a transition cost the worker and Postgres.
 *
 * The lock, the reads and the guards are sent together: Postgres runs them in that order, so the guards
 * change rows only once the locks are held, and the reads (statements of their own, each with a fresh
 * snapshot) see what the previous holder committed.
 */
import { closeTaskTokens, lockExecutionsWithThreads, markTimersFired, type Transaction } from "@stepwise/storage";
import { DeferredWrites } from "./deferred-writes.ts";
import type { LoadedExecution } from "./execution-cache.ts";
import { applyRequests, type GuardedTrigger, type TransitionHooks, type TransitionResult, type TransitionSettings } from "./transition.ts";

export interface GroupMember {
  executionArn: string;
  /** In the order they were submitted; their threads are read with the lock. */
  requests: readonly GuardedTrigger[];
}

export interface TransitionGroupOptions {
  settings: TransitionSettings;
  hooks: TransitionHooks;
  /** The executions' definitions and facts (cached per process), in the order asked. */
  load: (tx: Transaction, executionArns: readonly string[]) => Promise<LoadedExecution[]>;
}

/**
 * Each member's result, with the execution it was applied to, in member order. Members are in ARN order
 * (group-commit.ts), as the locks are taken.
 */
export async function runTransitionGroup(
  tx: Transaction,
  members: readonly GroupMember[],
  { settings, hooks, load }: TransitionGroupOptions,
): Promise<{ loaded: LoadedExecution; result: TransitionResult }[]> {
  const now = settings.now();
  const requests = members.flatMap((member) => member.requests);
  const locking = lockExecutionsWithThreads(
    tx,
    members.map((member) => ({ arn: member.executionArn, threadIds: member.requests.map((request) => request.threadId) })),
  );
  const closeRequests = requests.flatMap((r) => (r.guards.closeToken ? [r.guards.closeToken] : []));
  const closing = closeTaskTokens(tx, closeRequests, now);
  const firing = markTimersFired(
    tx,
    requests.flatMap((r) => (r.guards.timerId ? [r.guards.timerId] : [])),
    now,
  );
  const loading = load(
    tx,
    members.map((member) => member.executionArn),
  );
  const [locked, closed, fired, loaded] = await settleAll([locking, closing, firing, loading] as const);

  // A token or timer named by two requests (a job delivered twice) counts for the first only.
  const claimed = new Set<string>();
  const claim = (set: Set<string>, id: string): boolean => {
    if (!set.has(id) || claimed.has(id)) return false;
    claimed.add(id);
    return true;
  };
  const held = (request: GuardedTrigger) =>
    request.guards.timerId !== undefined
      ? claim(fired, request.guards.timerId)
      : request.guards.closeToken !== undefined
        ? claim(closed, request.guards.closeToken.token)
        : true;

  const writes = new DeferredWrites();
  const applying = members.map((member, m) =>
    applyRequests(
      tx,
      loaded[m] as LoadedExecution,
      member.requests,
      { locked: locked.get(member.executionArn) as NonNullable<ReturnType<typeof locked.get>>, held: member.requests.map(held) },
      settings,
      hooks,
      writes,
    ),
  );
  // A failed deferred write fails every statement after it: its error is the one to report.
  const results = await settleAll(applying).catch(async (error: unknown) => {
    throw (await writes.firstError()) ?? error;
  });
  const writeStarted = performance.now();
  await writes.close(tx);
  // What closing led to (a queued execution admitted) may have held rows too.
  writes.flush(tx);
  // Throws the first failed write's error, the one to report.
  await writes.settle();
  const historyWriteMs = performance.now() - writeStarted;
  for (const result of results) result.historyWriteMs = historyWriteMs;
  return results.map((result, m) => ({ loaded: loaded[m] as LoadedExecution, result }));
}

/**
 * Awaits statements sent together; if any fails, waits for the rest before throwing the first error, so
 * nothing is still running on the transaction's connection when it rolls back.
 */
async function settleAll<T extends readonly Promise<unknown>[]>(promises: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { [K in keyof T]: Awaited<T[K]> };
}
