/**
 * StartExecution. Starts requested while others are being written go together (batcher.ts): one
 * statement reads their machines, one writes every execution with its first event and root thread, and
 * their first jobs go to Redis in one call. Alone, a start cost as much as three Task states of a
 * running execution, most of it in round trips.
 */

import { randomBytes, randomUUID } from "node:crypto";
import { beginExecution, type Json, payloadSize } from "@stepwise/asl";
import {
  type CredentialScope,
  createExecutions,
  type Database,
  findStateMachines,
  type NewExecution,
  StateMachineDoesNotExist,
  type StateMachineRecord,
} from "@stepwise/storage";
import { formatExecutionTrace, type Tracing } from "@stepwise/tracing";
import { executionArn as buildExecutionArn, machineTarget } from "../arns.ts";
import { logSettingsOf } from "../execution-logs/log-settings.ts";
import type { ExecutionStartObservation } from "../observers.ts";
import { jobId, type OutboxJob, type Queues } from "../queues.ts";
import { recordStart, type StartTrace, startTrace } from "../tracing/execution-spans.ts";
import { jsonHoldsNul } from "../unstorable-text.ts";
import { resolveStartTargets, type StartTarget } from "../version-routing.ts";
import { admitQueued, concurrencyLimit } from "./admission.ts";
import { Batcher, type BatcherOptions } from "./batcher.ts";
import { InvalidExecutionInput, UnstorableText } from "./engine-errors.ts";
import type { ExecutionCache } from "./execution-cache.ts";
import { validateExecutionName } from "./names.ts";
import type { TransitionSettings } from "./transition.ts";

export interface StartRequest {
  /** The machine's ARN, or one of its versions' or aliases' (the execution runs that version). */
  stateMachineArn: string;
  name?: string;
  input?: string;
  /** AWS X-Ray's trace header: kept and described as given; the trace's parent when no `traceparent` came. */
  traceHeader?: string;
  /** The caller's W3C trace context (an API request's `traceparent` header, a nested start's task): the start's parent. */
  traceparent?: string;
  /** A nested `.sync` execution: the parent's task token, completed when this execution ends. */
  parentTaskToken?: string;
  /**
   * Started for a scoped credential (or by an execution that was): recorded, and what the execution starts
   * while it runs must fit it (see nested-executions.ts). Absent: unrestricted.
   */
  scope?: CredentialScope;
}

export interface StartResult {
  executionArn: string;
  startDate: Date;
  created: boolean;
}

export interface StartDependencies {
  db: Database;
  queues: Queues;
  settings: TransitionSettings;
  cache: ExecutionCache;
  batching: BatcherOptions;
  /** Told about every execution created (metrics); not about repeated starts that found it existing. */
  observeStart?: (event: ExecutionStartObservation) => void;
  /** OpenTelemetry traces; absent when tracing is off. */
  tracing?: Tracing;
}

/** One start, checked and ready to write. */
interface PreparedStart {
  row: NewExecution;
  machine: StateMachineRecord;
  express: boolean;
  /** The machine's concurrency limit, when it has one (the execution is queued behind it). */
  limit: number | undefined;
  /** Its execution timeout (TimeoutSeconds), written with it and sent as a delayed job. */
  timeout: ReturnType<typeof executionTimeoutTimer> | undefined;
  /** Sampled for tracing: its StartExecution span, recorded once it is written. */
  trace?: StartTrace;
}

export class ExecutionStarts {
  private readonly batcher: Batcher<StartRequest, StartResult>;

  constructor(private readonly deps: StartDependencies) {
    this.batcher = new Batcher((requests) => this.startAll(requests), deps.batching);
  }

  start(request: StartRequest): Promise<StartResult> {
    return this.batcher.submit(request);
  }

  private async startAll(requests: StartRequest[]): Promise<Array<StartResult | Error>> {
    const { db, queues } = this.deps;
    const named = requests.map((r) => machineTarget(r.stateMachineArn));
    const machineArns = named.map((target, i) => target?.machineArn ?? (requests[i] as StartRequest).stateMachineArn);
    const [machines, targets] = await Promise.all([findStateMachines(db, [...new Set(machineArns)]), resolveStartTargets(db, named)]);
    const prepared = requests.map((request, i) => {
      try {
        const target = targets[i] as StartTarget | Error;
        if (target instanceof Error) throw target;
        return this.prepare(request, machines.get(machineArns[i] as string), target);
      } catch (error) {
        return error as Error;
      }
    });
    const ready = prepared.filter((p): p is PreparedStart => !(p instanceof Error));
    const written =
      ready.length === 0
        ? []
        : await createExecutions(
            db,
            ready.map((p) => p.row),
          );
    const outcome = new Map(ready.map((p, i) => [p, written[i] as (typeof written)[number]]));
    const jobs: OutboxJob[] = [];
    const admitting = new Map<string, number>();
    const created: PreparedStart[] = [];
    for (const start of ready) {
      const result = outcome.get(start);
      if (start.trace && this.deps.tracing && (!result || result instanceof Error || result.created)) {
        const execution = { executionArn: start.row.arn, stateMachineArn: start.machine.arn };
        recordStart(this.deps.tracing, start.trace, execution, result instanceof Error ? result : undefined);
      }
      if (!result || result instanceof Error || !result.created) continue;
      created.push(start);
      jobs.push(...firstJobs(start));
      if (start.limit !== undefined) admitting.set(start.machine.arn, start.limit);
    }
    // Queued behind a limit: as many as have slots start now, once per machine.
    for (const [machineArn, limit] of admitting) jobs.push(...(await admitQueued(db, machineArn, limit)));
    await queues.dispatch(jobs);
    for (const start of created) {
      // An Express execution's events, its start's included, are logged by the run (express-worker.ts).
      const logging = start.express ? undefined : logSettingsOf(start.machine.loggingConfiguration);
      this.deps.observeStart?.({
        executionArn: start.row.arn,
        stateMachineArn: start.machine.arn,
        queued: start.limit !== undefined,
        ...(logging ? { logged: { executionArn: start.row.arn, redriveCount: 0, settings: logging, events: start.row.events } } : {}),
      });
    }
    return prepared.map((p) => {
      if (p instanceof Error) return p;
      const result = outcome.get(p);
      if (!result) return new Error("the execution was not written");
      if (result instanceof Error) return result;
      return { executionArn: result.execution.arn, startDate: result.execution.startDate, created: result.created };
    });
  }

  private prepare(request: StartRequest, machine: StateMachineRecord | undefined, target: StartTarget): PreparedStart {
    const { settings, cache } = this.deps;
    if (machine?.status !== "ACTIVE") throw new StateMachineDoesNotExist(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    validateExecutionName(name);
    const inputText = request.input ?? "{}";
    const input = parseInput(inputText, settings.maxPayloadBytes);
    // Refused here rather than by Postgres, which would fail the whole batch's statement.
    if (jsonHoldsNul(input, inputText))
      throw new UnstorableText("The execution input contains the character U+0000, which cannot be stored");
    // A version runs its own snapshot of the definition and role.
    const definition = target.version?.definition ?? machine.definition;
    const roleArn = target.version?.roleArn ?? machine.roleArn;
    const compiled = cache.compiled(definition);
    const arn = buildExecutionArn(machine.arn, name);
    const now = settings.now();
    const info = {
      executionArn: arn,
      executionName: name,
      startTime: now.toISOString(),
      roleArn,
      stateMachineArn: machine.arn,
      stateMachineName: machine.name,
      input,
      redriveCount: 0,
    };
    const begun = beginExecution(compiled, info, { now }, { versionArn: target.version?.arn, aliasArn: target.aliasArn });
    const timeoutSeconds = compiled.definition.TimeoutSeconds;
    const timeout = timeoutSeconds === undefined ? undefined : executionTimeoutTimer(arn, now, timeoutSeconds);
    const express = machine.type === "EXPRESS";
    const limit = express ? undefined : concurrencyLimit(machine);
    const { tracing } = this.deps;
    const tracingEnabled = (target.version ?? machine).tracingConfiguration?.enabled === true;
    const trace = tracing ? startTrace(tracing, request, { arn: machine.arn, tracingEnabled }) : undefined;
    return {
      machine,
      express,
      limit,
      timeout,
      ...(trace ? { trace } : {}),
      row: {
        arn,
        stateMachineArn: machine.arn,
        name,
        input: inputText,
        definition,
        roleArn,
        startDate: now,
        traceHeader: request.traceHeader ?? null,
        traceContext: trace ? formatExecutionTrace(trace.execution) : null,
        parentTaskToken: request.parentTaskToken ?? null,
        events: [begun.event],
        // Express executions run in one job; their root thread is never driven by transitions.
        rootThread: { position: begun.position as never, status: limit === undefined && !express ? "RUNNING" : "WAITING" },
        timers: timeout === undefined ? [] : [timeout],
        queued: limit !== undefined,
        idSeed: randomBytes(16).toString("hex"),
        stateMachineVersionArn: target.version?.arn ?? null,
        stateMachineAliasArn: target.aliasArn ?? null,
        scope: request.scope ?? null,
      },
    };
  }
}

/** What a created execution sends to the queues: its first transition (or Express job), and its timeout. */
function firstJobs({ row, express, limit, timeout }: PreparedStart): OutboxJob[] {
  const arn = row.arn;
  const jobs: OutboxJob[] = express
    ? [{ kind: "express", jobId: jobId(arn, "express"), data: { executionArn: arn } }]
    : limit === undefined
      ? [{ kind: "transition", jobId: jobId(arn, "", "start"), data: { executionArn: arn, threadId: "", trigger: { type: "run" } } }]
      : [];
  if (timeout) {
    jobs.push({
      kind: "transition",
      jobId: jobId(arn, "timer", timeout.id),
      data: { executionArn: arn, threadId: "", trigger: timeout.payload, timerId: timeout.id },
      delayMs: timeout.fireAt.getTime() - row.startDate.getTime(),
    });
  }
  return jobs;
}

function parseInput(text: string, maxBytes: number): Json {
  if (Buffer.byteLength(text, "utf8") > maxBytes) {
    throw new InvalidExecutionInput(`The execution input is larger than the maximum of ${maxBytes} bytes`);
  }
  try {
    const value = JSON.parse(text) as Json;
    if (payloadSize(value) > maxBytes)
      throw new InvalidExecutionInput(`The execution input is larger than the maximum of ${maxBytes} bytes`);
    return value;
  } catch (e) {
    if (e instanceof InvalidExecutionInput) throw e;
    throw new InvalidExecutionInput(`Invalid State Machine Execution Input: '${(e as Error).message}'`);
  }
}

function executionTimeoutTimer(arn: string, now: Date, seconds: number) {
  return {
    id: `${arn}.timeout`,
    executionArn: arn,
    threadId: "",
    kind: "execution_timeout" as const,
    fireAt: new Date(now.getTime() + seconds * 1000),
    payload: { type: "executionTimedOut" as const },
  };
}
