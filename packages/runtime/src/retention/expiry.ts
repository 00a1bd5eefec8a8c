/**
 * One round of retention: find closed top-level executions past their retention period and delete them,
 * children before parents (a child never outlives its parent's history), in small transactions, up to a
 * budget of executions per round. Work left over (a budget spent, a row another transaction held, a child
 * still running) is found again by the next round: nothing here needs to finish to be correct.
 */
import {
  type Database,
  deleteExpiredExecutions,
  type ExpiredExecution,
  type ExpiryTable,
  findExpiredExecutions,
  listChildrenToExpire,
  listStateMachineTag,
  parentsAmong,
} from "@stepwise/storage";
import type { Logger } from "../logger.ts";
import type { RuntimeObservers } from "../observers.ts";
import { parseRetentionPeriod, RETENTION_PERIOD_HINT, RETENTION_TAG } from "./retention-period.ts";

export interface ExpiryOptions {
  /** Most executions (children included) one round deletes. */
  maxExecutions: number;
  /** Most executions one transaction deletes. */
  batch: number;
  /** How long a batch may wait for any lock before it gives up until the next round. */
  lockTimeoutMs: number;
}

export const DEFAULT_EXPIRY_OPTIONS: ExpiryOptions = { maxExecutions: 2000, batch: 100, lockTimeoutMs: 1000 };

export interface ExpiryDeps {
  db: Database;
  logger: Logger;
  observers: RuntimeObservers;
  /** STEPWISE_EXECUTION_RETENTION, in milliseconds. */
  retentionMs: number;
  now?: () => number;
}

export interface ExpiryReport {
  /** Executions deleted, children included. */
  executions: number;
  rows: Partial<Record<ExpiryTable, number>>;
  bytes: number;
  /** The round stopped at its budget: more may be waiting. */
  exhausted: boolean;
}

type TreeOutcome = "done" | "held" | "budget";

export async function expireExecutions(deps: ExpiryDeps, options: ExpiryOptions = DEFAULT_EXPIRY_OPTIONS): Promise<ExpiryReport> {
  const now = (deps.now ?? Date.now)();
  const overrides = new Map<string, Date>();
  for (const { stateMachineArn, value } of await listStateMachineTag(deps.db, RETENTION_TAG)) {
    const ms = parseRetentionPeriod(value);
    if (ms === undefined) deps.logger.warn({ stateMachineArn, value }, `ignoring the ${RETENTION_TAG} tag: ${RETENTION_PERIOD_HINT}`);
    else overrides.set(stateMachineArn, new Date(now - ms));
  }
  const roots = await findExpiredExecutions(deps.db, { default: new Date(now - deps.retentionMs), overrides }, options.maxExecutions);
  const report: ExpiryReport = { executions: 0, rows: {}, bytes: 0, exhausted: false };
  let budget = options.maxExecutions;

  const deleteBatch = async (roots: readonly ExpiredExecution[], descendants?: string[]): Promise<number> => {
    const result = await deleteExpiredExecutions(deps.db, {
      roots,
      lockTimeoutMs: options.lockTimeoutMs,
      ...(descendants ? { descendants } : {}),
    });
    if (result.deleted.length === 0) return 0;
    budget -= result.deleted.length;
    report.executions += result.deleted.length;
    for (const r of result.reclaimed) {
      report.rows[r.table] = (report.rows[r.table] ?? 0) + r.rows;
      report.bytes += r.bytes;
    }
    deps.observers.expired({ executions: result.deleted.length, reclaimed: result.reclaimed });
    return result.deleted.length;
  };

  // Depth first: a child that is itself a parent loses its children before it goes.
  const deleteDescendants = async (root: ExpiredExecution, parentArn: string): Promise<TreeOutcome> => {
    for (;;) {
      if (budget <= 0) return "budget";
      const children = await listChildrenToExpire(deps.db, parentArn, Math.min(options.batch, budget));
      if (children.length === 0) return "done";
      // Its parent closed, a child is stopped soon after; until then the whole tree waits.
      if (children.some((c) => c.status === "RUNNING" || c.status === "PENDING_REDRIVE")) return "held";
      for (const child of children.filter((c) => c.hasChildren)) {
        const outcome = await deleteDescendants(root, child.arn);
        if (outcome !== "done") return outcome;
      }
      if (budget <= 0) return "budget";
      const deleted = await deleteBatch(
        [root],
        children.map((c) => c.arn),
      );
      if (deleted === 0) return "held";
    }
  };

  // Top-level executions go `batch` at a time; one with children first loses them, in batches of its own.
  for (let at = 0; at < roots.length && budget > 0; ) {
    const chunk = roots.slice(at, at + Math.min(options.batch, budget));
    at += chunk.length;
    const ready: ExpiredExecution[] = [];
    try {
      const arns = chunk.map((r) => r.arn);
      const parents = await parentsAmong(deps.db, arns);
      for (const root of chunk) {
        if (!parents.has(root.arn)) ready.push(root);
        else if ((await deleteDescendants(root, root.arn)) === "done") ready.push(root);
        if (budget <= ready.length) break;
      }
      await deleteBatch(ready.slice(0, Math.max(budget, 0)));
    } catch (err) {
      // lock_timeout (55P03) or a lost connection: these wait for the next round.
      deps.logger.warn({ err, executionArns: chunk.map((r) => r.arn) }, "could not delete expired executions; the next round tries again");
    }
  }
  report.exhausted = budget <= 0 || roots.length >= options.maxExecutions;
  return report;
}
