/**
 * Map Runs of distributed Map states, read from what the engine already stores: the run's events in its
 * execution's history (MapRunStarted, MapRunRedriven and what ended it), the Map's thread while it still
 * holds its fan-out, and the item threads (hidden children of that fan-out, whose id ends the run's ARN).
 */
import type { FanOut, HistoryEventType, MapState, State, ThreadPosition } from "@stepwise/asl";
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { anyOf } from "../any-of.ts";
import type { Database, Executor } from "../connection.ts";
import { ExecutionDoesNotExist, StorageError } from "../errors.ts";
import { executionThreads, type ThreadStatus } from "../schema/execution-threads.ts";
import { executions } from "../schema/executions.ts";
import { historyEvents } from "../schema/history-events.ts";

export type MapRunStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";

export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
}

export interface MapRunSummary {
  mapRunArn: string;
  executionArn: string;
  stateMachineArn: string;
  startDate: Date;
  stopDate?: Date;
  status: MapRunStatus;
}

export interface MapRunRecord extends MapRunSummary {
  /** While it runs: the thread of its Map, and the run's fan-out there, which UpdateMapRun names. */
  mapThread?: { threadId: string; fanOutId: string };
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  counts: MapRunCounts;
  redriveCount: number;
  redriveDate?: Date;
}

export class MapRunDoesNotExist extends StorageError {
  override readonly name = "ResourceNotFound";
  constructor(readonly arn: string) {
    super(`Map Run Does Not Exist: '${arn}'`);
  }
}

const MAP_RUN_PREFIX = /^(arn:aws:states:[a-z0-9-]+:\d{12}):mapRun:(.+)$/;

/**
 * The executions a map run ARN (`…:mapRun:<machine>:<execution>/<label>:<fan-out id>`) can belong to:
 * execution names may contain `/`, so each `/` is a place the execution's name may end.
 */
function executionsOf(mapRunArn: string): string[] {
  const match = MAP_RUN_PREFIX.exec(mapRunArn);
  if (!match) return [];
  const [, account, rest = ""] = match;
  const idAt = rest.lastIndexOf(":");
  if (idAt === rest.length - 1) return [];
  const executions: string[] = [];
  for (let at = rest.indexOf("/"); at > 0 && at < idAt; at = rest.indexOf("/", at + 1)) {
    executions.push(`${account}:execution:${rest.slice(0, at)}`);
  }
  return executions;
}

interface RunEvent {
  id: number;
  previousEventId: number;
  type: HistoryEventType;
  timestamp: Date;
  details: { mapRunStartedEventDetails?: { mapRunArn: string }; mapRunRedrivenEventDetails?: { mapRunArn: string; redriveCount: number } };
}

/** What ends a Map Run, on the Map's own thread right after its start (or its last redrive). */
const ENDS: Partial<Record<HistoryEventType, Exclude<MapRunStatus, "RUNNING">>> = {
  MapRunSucceeded: "SUCCEEDED",
  MapRunFailed: "FAILED",
  MapRunAborted: "ABORTED",
  MapStateFailed: "FAILED",
};

/**
 * The events map runs of an execution are read from: their starts and redrives, the events that follow
 * those on the same thread (the first is what ended the run), and each start's MapStateStarted (the item count).
 */
async function runEvents(db: Executor, executionArn: string): Promise<RunEvent[]> {
  const marks = db
    .select({ id: historyEvents.id })
    .from(historyEvents)
    .where(and(eq(historyEvents.executionArn, executionArn), inArray(historyEvents.type, ["MapRunStarted", "MapRunRedriven"])));
  const started = db
    .select({ id: historyEvents.previousEventId })
    .from(historyEvents)
    .where(and(eq(historyEvents.executionArn, executionArn), eq(historyEvents.type, "MapRunStarted")));
  const rows = await db
    .select({
      id: historyEvents.id,
      previousEventId: historyEvents.previousEventId,
      type: historyEvents.type,
      timestamp: historyEvents.timestamp,
      details: historyEvents.details,
    })
    .from(historyEvents)
    .where(
      and(
        eq(historyEvents.executionArn, executionArn),
        or(
          inArray(historyEvents.type, ["MapRunStarted", "MapRunRedriven"]),
          inArray(historyEvents.previousEventId, marks),
          inArray(historyEvents.id, started),
        ),
      ),
    )
    .orderBy(asc(historyEvents.id));
  return rows as RunEvent[];
}

interface RunHistory {
  arn: string;
  /** The MapRunStarted event (a Retry of the Map starts a run of its own, under a new ARN). */
  start: RunEvent;
  total: number;
  lastRedrive?: RunEvent;
  end?: { status: Exclude<MapRunStatus, "RUNNING">; date: Date };
}

function runsOf(events: readonly RunEvent[]): RunHistory[] {
  const byId = new Map(events.map((event) => [event.id, event]));
  const following = new Map<number, RunEvent>();
  for (const event of events) {
    if (ENDS[event.type] && !following.has(event.previousEventId)) following.set(event.previousEventId, event);
  }
  const runs = new Map<string, RunHistory>();
  for (const event of events) {
    const started = event.details.mapRunStartedEventDetails?.mapRunArn;
    const redriven = event.details.mapRunRedrivenEventDetails?.mapRunArn;
    if (started !== undefined) {
      const length = (byId.get(event.previousEventId) as { details: { mapStateStartedEventDetails?: { length: number } } } | undefined)
        ?.details.mapStateStartedEventDetails?.length;
      runs.set(started, { arn: started, start: event, total: length ?? 0 });
    } else if (redriven !== undefined) {
      const run = runs.get(redriven);
      if (run) run.lastRedrive = event;
    }
  }
  for (const run of runs.values()) {
    const end = following.get((run.lastRedrive ?? run.start).id);
    if (end) run.end = { status: ENDS[end.type] as Exclude<MapRunStatus, "RUNNING">, date: end.timestamp };
  }
  return [...runs.values()].sort((a, b) => a.start.id - b.start.id);
}

type ExecutionFacts = Pick<typeof executions.$inferSelect, "arn" | "stateMachineArn" | "status" | "stopDate" | "definition">;

async function executionFacts(db: Executor, arns: readonly string[]): Promise<ExecutionFacts[]> {
  return db
    .select({
      arn: executions.arn,
      stateMachineArn: executions.stateMachineArn,
      status: executions.status,
      stopDate: executions.stopDate,
      definition: executions.definition,
    })
    .from(executions)
    .where(anyOf(executions.arn, arns));
}

/**
 * A run no event ended is over all the same when its execution is (stopped, timed out, failed elsewhere)
 * or when its Map's thread was aborted (a failing sibling branch): it was aborted with it.
 */
function summaryOf(run: RunHistory, execution: ExecutionFacts, mapThread?: MapThread): MapRunSummary {
  const base = {
    mapRunArn: run.arn,
    executionArn: execution.arn,
    stateMachineArn: execution.stateMachineArn,
    startDate: run.start.timestamp,
  };
  if (run.end) return { ...base, status: run.end.status, stopDate: run.end.date };
  if (execution.status !== "RUNNING" && execution.status !== "PENDING_REDRIVE") {
    return { ...base, status: "ABORTED", ...(execution.stopDate ? { stopDate: execution.stopDate } : {}) };
  }
  if (mapThread?.status === "ABORTED") return { ...base, status: "ABORTED", stopDate: mapThread.updatedAt };
  return { ...base, status: "RUNNING" };
}

/** Every map run an execution started, in the order they started. */
export async function listMapRuns(db: Database, executionArn: string): Promise<MapRunSummary[]> {
  return db.transaction(
    async (tx) => {
      const [execution] = await executionFacts(tx, [executionArn]);
      if (!execution) throw new ExecutionDoesNotExist(executionArn);
      const runs = runsOf(await runEvents(tx, executionArn));
      const unended = runs.some((run) => !run.end) && execution.status === "RUNNING";
      const threads = unended ? await mapThreads(tx, executionArn) : [];
      return runs.map((run) =>
        summaryOf(
          run,
          execution,
          threads.find((t) => t.position.fanOut.id === fanOutIdOf(run.arn)),
        ),
      );
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export async function getMapRun(db: Database, mapRunArn: string): Promise<MapRunRecord> {
  const candidates = executionsOf(mapRunArn);
  if (candidates.length === 0) throw new MapRunDoesNotExist(mapRunArn);
  return db.transaction(
    async (tx) => {
      for (const execution of await executionFacts(tx, candidates)) {
        const run = runsOf(await runEvents(tx, execution.arn)).find((r) => r.arn === mapRunArn);
        if (run) return describe(tx, run, execution);
      }
      throw new MapRunDoesNotExist(mapRunArn);
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** The id of the fan-out a map run ARN ends with: the Map's thread holds it while the run is under way, and its items name it. */
const fanOutIdOf = (mapRunArn: string) => mapRunArn.slice(mapRunArn.lastIndexOf(":") + 1);

interface MapThread {
  threadId: string;
  status: ThreadStatus;
  updatedAt: Date;
  position: ThreadPosition & { fanOut: FanOut };
}

/** Threads holding a Map's fan-out; not items of a distributed Map, whose own Map Runs are never in this history. */
async function mapThreads(db: Executor, executionArn: string): Promise<MapThread[]> {
  const rows = await db
    .select({
      threadId: executionThreads.threadId,
      status: executionThreads.status,
      updatedAt: executionThreads.updatedAt,
      position: executionThreads.position,
    })
    .from(executionThreads)
    .where(
      and(
        eq(executionThreads.executionArn, executionArn),
        sql`${executionThreads.position}->'fanOut'->>'kind' = 'map'`,
        sql`coalesce((${executionThreads.position}->>'hidden')::boolean, false) = false`,
      ),
    );
  return rows as unknown as MapThread[];
}

interface ItemThread {
  status: ThreadStatus;
  outcome: string | null;
}

/** The items of one fan-out. */
async function itemThreads(db: Executor, executionArn: string, fanOutId: string): Promise<ItemThread[]> {
  const position = executionThreads.position;
  return db
    .select({
      status: executionThreads.status,
      outcome: sql<string | null>`${position}->'outcome'->>'status'`,
    })
    .from(executionThreads)
    .where(
      and(
        eq(executionThreads.executionArn, executionArn),
        sql`coalesce((${position}->>'hidden')::boolean, false)`,
        sql`${position}->'parent'->>'fanOutId' = ${fanOutId}`,
      ),
    );
}

/**
 * The run's items: the threads of its fan-out (whose id ends its ARN). Undefined when they are not all
 * there: the Map ran again, and its new items took over some of these threads.
 */
async function itemsOf(db: Executor, executionArn: string, run: RunHistory): Promise<ItemThread[] | undefined> {
  const items = await itemThreads(db, executionArn, fanOutIdOf(run.arn));
  return items.length === run.total ? items : undefined;
}

function countItems(items: readonly ItemThread[], total: number, fan?: FanOut, ended = false): MapRunCounts {
  const counts: MapRunCounts = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total };
  let open = 0;
  for (const item of items) {
    if (item.status === "SUCCEEDED") counts.succeeded += 1;
    else if (item.status === "FAILED" && item.outcome === "TIMED_OUT") counts.timedOut += 1;
    else if (item.status === "FAILED") counts.failed += 1;
    else if (item.status === "ABORTED") counts.aborted += 1;
    else open += 1;
  }
  // An ended run has no open items (closing an execution aborts its threads); should one be left, it did not finish.
  if (ended) counts.aborted += open;
  else {
    // Started items waiting on a task are WAITING like items not started yet: the fan-out knows which is which.
    counts.running = fan ? fan.running : open;
    counts.pending = Math.max(0, open - counts.running);
  }
  return counts;
}

/** Counts of a run whose items are gone, from its outcome alone: every item is taken to have ended as the run did. */
function countsFromOutcome(status: MapRunStatus, total: number): MapRunCounts {
  const counts: MapRunCounts = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total };
  const key = ({ RUNNING: "running", SUCCEEDED: "succeeded", FAILED: "failed", ABORTED: "aborted" } as const)[status];
  counts[key] = total;
  return counts;
}

async function describe(db: Executor, run: RunHistory, execution: ExecutionFacts): Promise<MapRunRecord> {
  const mapThread = (await mapThreads(db, execution.arn)).find((t) => t.position.fanOut.id === fanOutIdOf(run.arn));
  const summary = summaryOf(run, execution, mapThread);
  const items = await itemsOf(db, execution.arn, run);
  const fan = mapThread?.position.fanOut;
  const label = run.arn.slice(`${execution.arn.replace(":execution:", ":mapRun:")}/`.length, run.arn.lastIndexOf(":"));
  const limits = fan ?? limitsInDefinition(execution.definition, label);
  const redrive = run.lastRedrive?.details.mapRunRedrivenEventDetails;
  return {
    ...summary,
    ...(mapThread && summary.status === "RUNNING"
      ? { mapThread: { threadId: mapThread.threadId, fanOutId: mapThread.position.fanOut.id } }
      : {}),
    maxConcurrency: limits.maxConcurrency,
    toleratedFailureCount: limits.toleratedFailureCount ?? 0,
    toleratedFailurePercentage: limits.toleratedFailurePercentage ?? 0,
    counts: items ? countItems(items, run.total, fan, summary.status !== "RUNNING") : countsFromOutcome(summary.status, run.total),
    redriveCount: redrive?.redriveCount ?? 0,
    ...(run.lastRedrive ? { redriveDate: run.lastRedrive.timestamp } : {}),
  };
}

type Limits = Pick<FanOut, "maxConcurrency" | "toleratedFailureCount" | "toleratedFailurePercentage">;

/**
 * A run's limits once its Map's thread has moved on: those the definition gives as numbers, for the Map
 * labelled (or named) as in the ARN; limits read from the input at run time are no longer known (0).
 */
function limitsInDefinition(definition: string, label: string): Limits {
  const pending: unknown[] = [JSON.parse(definition)];
  while (pending.length > 0) {
    const states = (pending.pop() as { States?: Record<string, State> } | undefined)?.States ?? {};
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === "Parallel") pending.push(...(state.Branches ?? []));
      if (state.Type !== "Map") continue;
      const map = state as MapState;
      if ((map.Label ?? name) === label) {
        const number = (value: unknown) => (typeof value === "number" ? value : undefined);
        const count = number(map.ToleratedFailureCount);
        const percentage = number(map.ToleratedFailurePercentage);
        return {
          maxConcurrency: number(map.MaxConcurrency) ?? 0,
          ...(count !== undefined ? { toleratedFailureCount: count } : {}),
          ...(percentage !== undefined ? { toleratedFailurePercentage: percentage } : {}),
        };
      }
      pending.push(map.ItemProcessor ?? map.Iterator);
    }
  }
  return { maxConcurrency: 0 };
}
