/**
 * One trace per execution, across processes. Nothing here keeps a span open: an execution's spans are
 * recorded once they are over, by whichever process sees them end, with ids drawn beforehand when
 * something had to name them as parent meanwhile. What links them is stored: the execution's trace
 * (executions.trace_context: its trace and its `execution` span) and a job's (JobTrace).
 *
 *   StartExecution                      the request that started it (its parent: the caller's traceparent)
 *   └─ execution <machine>              start to end, recorded by the transition that ends it
 *      ├─ <trigger> <state>             each transition
 *      │  ├─ task <state>               a task attempt it scheduled: queue wait, then the handler's run
 *      │  │  ├─ queue <state>
 *      │  │  └─ handler <state>         (ctx.trace: the handler's spans and outgoing requests go under it)
 *      │  │     └─ StartExecution …     a nested execution's start, and that execution under it
 *      │  ├─ Wait <state> / Retry <state> / Timeout <state>   a timer it set, recorded when it fires
 *      │  └─ execution <child>          a distributed Map's child execution
 *
 * Callers only come here when the process traces (a Tracing exists) and the execution is sampled (it
 * has a trace): untraced work creates no span and no context.
 */

import type { Attributes } from "@opentelemetry/api";
import { SpanKind } from "@opentelemetry/api";
import type { ThreadOutcome, Trigger } from "@stepwise/asl";
import {
  type ExecutionTrace,
  formatTraceparent,
  type IncomingParent,
  parseTraceparent,
  parseXRayHeader,
  type SpanRef,
  type Tracing,
} from "@stepwise/tracing";
import type { TransitionResult } from "../engine/transition.ts";
import type { JobTrace, TransitionSpan } from "./job-trace.ts";
import {
  ATTR_CAUSE,
  ATTR_ERROR,
  ATTR_EVENT_TYPES,
  ATTR_EXECUTION_ARN,
  ATTR_EXECUTION_STATUS,
  ATTR_REDRIVE_COUNT,
  ATTR_STATE_MACHINE_ARN,
  ATTR_STATE_NAME,
  ATTR_STATES,
  ATTR_THREAD_ID,
  ATTR_TRIGGER,
} from "./span-attributes.ts";

/** A sampled start, between its decision and its write. */
export interface StartTrace {
  execution: ExecutionTrace;
  /** The StartExecution span. */
  span: SpanRef;
  parentSpanId?: string;
  /** The caller's trace context came with the request (an API call, a nested start): a server span. */
  remote: boolean;
  submittedAt: number;
}

/**
 * A new execution's trace, or undefined when it is not sampled. Its parent is the caller's W3C
 * `traceparent`, else StartExecution's X-Ray `traceHeader` when it parses; a state machine whose
 * TracingConfiguration is enabled is always sampled, others as OTEL_TRACES_SAMPLER decides.
 */
export function startTrace(
  tracing: Tracing,
  request: { traceparent?: string; traceHeader?: string },
  machine: { arn: string; tracingEnabled: boolean },
): StartTrace | undefined {
  const parent: IncomingParent | undefined = parseTraceparent(request.traceparent) ?? parseXRayHeader(request.traceHeader);
  const traceId = parent?.traceId ?? tracing.newTraceId();
  if (!tracing.sampled(traceId, parent, machine.tracingEnabled, "StartExecution", { [ATTR_STATE_MACHINE_ARN]: machine.arn })) {
    return undefined;
  }
  const span = { traceId, spanId: tracing.newSpanId() };
  return {
    execution: { traceId, spanId: tracing.newSpanId(), parentSpanId: span.spanId },
    span,
    ...(parent ? { parentSpanId: parent.spanId } : {}),
    remote: parent !== undefined,
    submittedAt: Date.now(),
  };
}

/** The StartExecution span, once the start was written (or refused: `error`). */
export function recordStart(
  tracing: Tracing,
  start: StartTrace,
  execution: { executionArn?: string; stateMachineArn: string },
  error?: Error,
): void {
  tracing.record({
    name: "StartExecution",
    kind: start.remote ? SpanKind.SERVER : SpanKind.INTERNAL,
    span: start.span,
    ...(start.parentSpanId ? { parentSpanId: start.parentSpanId } : {}),
    start: start.submittedAt,
    end: Date.now(),
    attributes: {
      [ATTR_STATE_MACHINE_ARN]: execution.stateMachineArn,
      ...(execution.executionArn ? { [ATTR_EXECUTION_ARN]: execution.executionArn } : {}),
    },
    ...(error ? { error: `${error.name}: ${error.message}` } : {}),
  });
}

/** A distributed Map's child execution: in its parent's trace, under the transition that started it. */
export function childExecutionTrace(tracing: Tracing, parent: ExecutionTrace, transition: TransitionSpan): ExecutionTrace {
  return { traceId: parent.traceId, spanId: tracing.newSpanId(), parentSpanId: transition.spanId };
}

/** A transition's span, drawn when it begins applying (its effects' jobs name it). */
export function transitionSpan(tracing: Tracing, stateName: string | undefined): TransitionSpan {
  return { spanId: tracing.newSpanId(), start: Date.now(), ...(stateName ? { stateName } : {}), states: [] };
}

/** What a job sent by `transition` carries (see JobTrace). */
export function jobTrace(trace: ExecutionTrace, transition: TransitionSpan, span?: string): JobTrace {
  return {
    traceparent: formatTraceparent({ traceId: trace.traceId, spanId: transition.spanId }),
    sentAt: Date.now(),
    ...(span ? { span } : {}),
  };
}

export interface AppliedTransition {
  executionArn: string;
  stateMachineArn: string;
  threadId: string;
  trigger: Trigger;
  result: TransitionResult;
  redriveCount: number;
  /** The job that brought the trigger, if it was sent by a traced transition (a timer firing). */
  job?: JobTrace;
}

/** A committed transition: its span, the timer that brought it, and the execution's span if it ended. */
export function recordTransition(tracing: Tracing, trace: ExecutionTrace, span: TransitionSpan, applied: AppliedTransition): void {
  const { executionArn, threadId, trigger, result } = applied;
  const now = Date.now();
  const firing = applied.job?.span ? parseTraceparent(applied.job.traceparent) : undefined;
  if (firing && applied.job?.span) {
    tracing.record({
      name: applied.job.span,
      span: { traceId: firing.traceId, spanId: tracing.newSpanId() },
      parentSpanId: firing.spanId,
      start: applied.job.sentAt,
      end: span.start,
      attributes: { [ATTR_EXECUTION_ARN]: executionArn, [ATTR_THREAD_ID]: threadId, [ATTR_TRIGGER]: trigger.type },
    });
  }
  const attributes: Attributes = {
    [ATTR_EXECUTION_ARN]: executionArn,
    [ATTR_THREAD_ID]: threadId,
    [ATTR_TRIGGER]: trigger.type,
    [ATTR_STATES]: span.states,
    [ATTR_EVENT_TYPES]: result.eventTypes,
  };
  if (span.stateName) attributes[ATTR_STATE_NAME] = span.stateName;
  tracing.record({
    name: span.stateName ? `${trigger.type} ${span.stateName}` : trigger.type,
    span: { traceId: trace.traceId, spanId: span.spanId },
    parentSpanId: trace.spanId,
    start: span.start,
    end: now,
    attributes,
  });
  if (result.finished) recordExecution(tracing, trace, applied, result.finished, now);
}

/**
 * The execution's own span, from its start to its end. A redriven execution ended before: its span was
 * recorded then, so the redrive's end is a span of its own under it.
 */
function recordExecution(tracing: Tracing, trace: ExecutionTrace, applied: AppliedTransition, outcome: ThreadOutcome, end: number): void {
  const name = `execution ${applied.stateMachineArn.split(":").pop() ?? ""}`;
  const redriven = applied.redriveCount > 0;
  const attributes: Attributes = {
    [ATTR_EXECUTION_ARN]: applied.executionArn,
    [ATTR_STATE_MACHINE_ARN]: applied.stateMachineArn,
    [ATTR_EXECUTION_STATUS]: outcome.status,
    [ATTR_REDRIVE_COUNT]: applied.redriveCount,
  };
  if (outcome.status !== "SUCCEEDED") {
    if (outcome.error !== null) attributes[ATTR_ERROR] = outcome.error;
    if (outcome.cause !== null) attributes[ATTR_CAUSE] = outcome.cause;
  }
  tracing.record({
    name: redriven ? `${name} (redrive ${applied.redriveCount})` : name,
    span: redriven ? { traceId: trace.traceId, spanId: tracing.newSpanId() } : trace,
    ...(redriven ? { parentSpanId: trace.spanId } : trace.parentSpanId ? { parentSpanId: trace.parentSpanId } : {}),
    start: Date.parse(applied.result.startTime),
    end,
    attributes,
    ...(outcome.status === "SUCCEEDED" ? {} : { error: outcome.error ?? outcome.status }),
  });
}
