/**
 * A task attempt's spans, in the worker that runs it: `task <state>` from when its transition scheduled
 * it until its handler answered, made of `queue <state>` (waiting for a worker) and `handler <state>` (the
 * handler's run). The handler gets that span as `ctx.trace`, to send on and to hang its own spans from.
 */

import { SpanKind } from "@opentelemetry/api";
import type { Trigger } from "@stepwise/asl";
import { formatTraceparent, parseTraceparent, type Tracing } from "@stepwise/tracing";
import type { TaskJob } from "../queues.ts";
import type { TaskTrace } from "../worker/task-handler.ts";
import {
  ATTR_CAUSE,
  ATTR_ERROR,
  ATTR_EXECUTION_ARN,
  ATTR_STATE_NAME,
  ATTR_TASK_HANDLER,
  ATTR_TASK_ID,
  ATTR_TASK_OUTCOME,
  ATTR_TASK_RESOURCE,
} from "./span-attributes.ts";

export interface TaskRunSpans {
  /** What the handler gets as `ctx.trace`. */
  context: TaskTrace;
  /** The handler answered (or deferred: `trigger` is what it answered with). */
  finish(trigger: Trigger): void;
}

/** Undefined when the attempt's execution is not traced. */
export function taskRunSpans(tracing: Tracing, job: TaskJob): TaskRunSpans | undefined {
  const parent = job.trace ? parseTraceparent(job.trace.traceparent) : undefined;
  if (!parent || !job.trace) return undefined;
  const { traceId } = parent;
  const attempt = { traceId, spanId: tracing.newSpanId() };
  const run = { traceId, spanId: tracing.newSpanId() };
  const sentAt = job.trace.sentAt;
  const started = Date.now();
  const { task } = job;
  const runContext = tracing.contextOf(run);
  return {
    context: {
      traceparent: formatTraceparent(run),
      context: runContext,
      startSpan: (name, options) => tracing.tracer.startSpan(name, options, runContext),
    },
    finish: (trigger) => {
      const ended = Date.now();
      const attributes = {
        [ATTR_EXECUTION_ARN]: job.executionArn,
        [ATTR_STATE_NAME]: task.stateName,
        [ATTR_TASK_ID]: task.taskId,
        [ATTR_TASK_HANDLER]: job.handler,
        [ATTR_TASK_RESOURCE]: task.resource,
      };
      const failed = trigger.type === "taskFailed" ? trigger : undefined;
      const outcome = {
        [ATTR_TASK_OUTCOME]: failed ? "failed" : "succeeded",
        ...(failed?.error ? { [ATTR_ERROR]: failed.error } : {}),
        ...(failed?.cause ? { [ATTR_CAUSE]: failed.cause } : {}),
      };
      const error = failed ? { error: failed.error ?? "task failed" } : {};
      tracing.record({
        name: `task ${task.stateName}`,
        span: attempt,
        parentSpanId: parent.spanId,
        start: sentAt,
        end: ended,
        attributes: { ...attributes, ...outcome },
        ...error,
      });
      tracing.record({
        name: `queue ${task.stateName}`,
        span: { traceId, spanId: tracing.newSpanId() },
        parentSpanId: attempt.spanId,
        start: sentAt,
        end: started,
        attributes,
      });
      tracing.record({
        name: `handler ${task.stateName}`,
        kind: SpanKind.CONSUMER,
        span: run,
        parentSpanId: attempt.spanId,
        start: started,
        end: ended,
        attributes: { ...attributes, ...outcome },
        ...error,
      });
    },
  };
}
