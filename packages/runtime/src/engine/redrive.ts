/**
 * RedriveExecution in the runtime: AWS's eligibility rules and client-token idempotency around the ASL
 * core's redrive plan (which threads carry on, and from where), written in one transaction under the
 * execution's lock. The root thread's job is sent after it commits.
 */

import { compileMachine, redriveExecution, type StateMachineDefinition, type ThreadPosition } from "@stepwise/asl";
import {
  appendEvents,
  type CredentialScope,
  type Database,
  deleteThreads,
  type ExecutionRecord,
  findStateMachine,
  getExecution,
  keepSucceededChildResults,
  listThreads,
  lockExecution,
  type RedriveToken,
  reopenExecution,
  type StateMachineRecord,
  scheduleTimer,
  type Transaction,
  upsertThreads,
} from "@stepwise/storage";
import type { LoggedEvents } from "../execution-logs/execution-log.ts";
import { logSettingsOf } from "../execution-logs/log-settings.ts";
import { jobId, type OutboxJob, type Queues } from "../queues.ts";
import { fanOutKey } from "./effects.ts";
import { ExecutionNotRedrivable } from "./engine-errors.ts";
import { executionInfo } from "./execution-cache.ts";
import { type TransitionSettings, threadStatus } from "./transition.ts";

const DAY_MS = 24 * 3600 * 1000;
/** AWS: an execution can be redriven for 14 days after it stopped... */
const REDRIVABLE_PERIOD_MS = 14 * DAY_MS;
/** ...and it never stays open for more than a year. */
const MAX_EXECUTION_TIME_MS = 365 * DAY_MS;
/** AWS answers again the last 10 client tokens that redrove an execution, for 15 minutes after their first use. */
const KEPT_CLIENT_TOKENS = 10;
const CLIENT_TOKEN_VALIDITY_MS = 15 * 60 * 1000;

const REDRIVABLE_STATUSES = new Set<string>(["FAILED", "TIMED_OUT", "ABORTED"]);

export interface RedriveRequest {
  /** AWS's idempotency token: the same token again answers the first redrive's date instead of redriving. */
  clientToken?: string;
  /**
   * Redriven by a scoped credential: the redriven run acts for it, so what it starts must fit this scope
   * (and the scope the execution was started under, if any). Absent: the execution keeps its own.
   */
  scope?: CredentialScope;
}

/**
 * The scope a redriven execution acts under. An execution the unscoped key started and a scoped key
 * redrives must not start, on the scoped key's request, machines outside that key's scope.
 */
function redrivenScope(recorded: CredentialScope | null, redriver: CredentialScope | undefined): CredentialScope | undefined {
  if (redriver === undefined) return undefined;
  return recorded === null ? redriver : { ...redriver, within: recorded };
}

/**
 * Why RedriveExecution refuses an execution, in the words of AWS's `redriveStatusReason`; undefined when
 * it would redrive it. `machine` is undefined once the state machine is gone (its executions can still
 * be redriven: they run their own copy of the definition).
 */
export function redriveRefusal(
  execution: Pick<ExecutionRecord, "status" | "startDate" | "stopDate">,
  historyLength: number,
  machine: Pick<StateMachineRecord, "type" | "status"> | undefined,
  limits: { now: Date; maxHistoryEvents: number },
): string | undefined {
  if (machine?.type === "EXPRESS") return "Executions of EXPRESS state machines cannot be redriven";
  if (machine?.status === "DELETING") return "State machine is in DELETING status";
  if (!REDRIVABLE_STATUSES.has(execution.status)) return `Execution is ${execution.status} and cannot be redriven`;
  const now = limits.now.getTime();
  if (execution.stopDate && now - execution.stopDate.getTime() > REDRIVABLE_PERIOD_MS) return "Execution redrivable period exceeded";
  if (now - execution.startDate.getTime() > MAX_EXECUTION_TIME_MS) return "Execution has exceeded the max execution time";
  // Room for ExecutionRedriven and at least one event after it.
  if (historyLength >= limits.maxHistoryEvents - 1) return "Execution history event limit exceeded";
  return undefined;
}

export async function redrive(
  deps: { db: Database; queues: Queues; settings: TransitionSettings; logEvents?: (logged: LoggedEvents) => void },
  executionArn: string,
  request: RedriveRequest,
): Promise<{ redriveDate: Date }> {
  const { redriveDate, jobs, logged } = await deps.db.transaction((tx) => redriveWithin(tx, deps.settings, executionArn, request));
  await deps.queues.dispatch(jobs);
  if (logged) deps.logEvents?.(logged);
  return { redriveDate };
}

export interface RedriveWrites {
  redriveDate: Date;
  /** To send once the transaction commits. */
  jobs: OutboxJob[];
  logged?: LoggedEvents;
}

/**
 * The redrive's writes in the caller's transaction: RedriveExecution's own, or a parent's transition
 * redriving a distributed Map's child workflow execution (the parent's lock is taken first, then the
 * child's; a child never locks its parent, so the order cannot cross).
 */
export async function redriveWithin(
  tx: Transaction,
  settings: TransitionSettings,
  executionArn: string,
  request: RedriveRequest,
): Promise<RedriveWrites> {
  const now = settings.now();
  const locked = await lockExecution(tx, executionArn);
  const execution = await getExecution(tx, executionArn);
  const answered = request.clientToken === undefined ? undefined : liveToken(execution.redriveTokens, request.clientToken, now);
  if (answered) return { redriveDate: new Date(answered.redriveDate), jobs: [] };
  if (!REDRIVABLE_STATUSES.has(locked.status)) {
    throw new ExecutionNotRedrivable(
      `Execution is ${locked.status}; only FAILED, TIMED_OUT or ABORTED executions can be redriven: '${executionArn}'`,
    );
  }
  const machine = await findStateMachine(tx, execution.stateMachineArn);
  const refusal = redriveRefusal(execution, locked.nextEventId - 1, machine, { now, maxHistoryEvents: settings.maxHistoryEvents });
  if (refusal) throw new ExecutionNotRedrivable(refusal);

  const definition = JSON.parse(execution.definition) as StateMachineDefinition;
  const redriveCount = execution.redriveCount + 1;
  const threads = await listThreads(tx, executionArn);
  const plan = await redriveExecution(
    compileMachine(definition),
    threads.map((t) => t.position as unknown as ThreadPosition),
    { ...executionInfo(execution), redriveCount },
    { now, random: settings.random, nextEventId: locked.nextEventId },
  );
  const scope = redrivenScope(execution.scope, request.scope);
  await reopenExecution(tx, executionArn, {
    redriveDate: now,
    redriveTokens: keptTokens(execution.redriveTokens, request.clientToken, now),
    ...(scope === undefined ? {} : { scope }),
  });
  await appendEvents(tx, executionArn, [plan.event]);
  await deleteThreads(tx, executionArn, plan.discarded);
  await upsertThreads(
    tx,
    executionArn,
    plan.threads.map((position) => ({
      threadId: position.threadId,
      position: position as never,
      // Only the root runs at once; children wait until their parent starts them (MaxConcurrency).
      status: position.threadId !== "" && threadStatus(position) === "RUNNING" ? "WAITING" : threadStatus(position),
    })),
  );
  await keepSucceededChildResults(
    tx,
    executionArn,
    plan.resumed.map((f) => fanOutKey(f.threadId, f.fanOutId)),
  );
  const out: OutboxJob[] = [
    {
      kind: "transition",
      jobId: jobId(executionArn, "", "redrive", String(redriveCount)),
      data: { executionArn, threadId: "", trigger: { type: "run" } },
    },
  ];
  // AWS: a redriven execution's TimeoutSeconds counts again from the redrive.
  if (definition.TimeoutSeconds !== undefined) {
    const id = `${executionArn}.timeout.${redriveCount}`;
    const trigger = { type: "executionTimedOut" as const };
    const fireAt = new Date(now.getTime() + definition.TimeoutSeconds * 1000);
    await scheduleTimer(tx, { id, executionArn, threadId: "", kind: "execution_timeout", fireAt, payload: trigger });
    out.push({
      kind: "transition",
      jobId: jobId(executionArn, "timer", id),
      data: { executionArn, threadId: "", trigger, timerId: id },
      delayMs: definition.TimeoutSeconds * 1000,
    });
  }
  const logging = logSettingsOf(execution.loggingConfiguration);
  return {
    redriveDate: now,
    jobs: out,
    ...(logging ? { logged: { executionArn, redriveCount, settings: logging, events: [plan.event] } } : {}),
  };
}

function liveToken(tokens: readonly RedriveToken[], token: string, now: Date): RedriveToken | undefined {
  return tokens.find((t) => t.token === token && now.getTime() - Date.parse(t.redriveDate) <= CLIENT_TOKEN_VALIDITY_MS);
}

/** The tokens to keep after this redrive: the live ones, this one last, at most AWS's ten. */
function keptTokens(tokens: readonly RedriveToken[], token: string | undefined, now: Date): RedriveToken[] {
  const live = tokens.filter((t) => t.token !== token && now.getTime() - Date.parse(t.redriveDate) <= CLIENT_TOKEN_VALIDITY_MS);
  if (token !== undefined) live.push({ token, redriveDate: now.toISOString() });
  return live.slice(-KEPT_CLIENT_TOKENS);
}
