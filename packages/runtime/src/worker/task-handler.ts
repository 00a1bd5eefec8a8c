import type { Context, Span, SpanOptions } from "@opentelemetry/api";
import type { Json } from "@stepwise/asl";

/** A traced task's run span, as its handler sees it (see docs/observability.md). */
export interface TaskTrace {
  /** The run span as a W3C traceparent: send it on (the HTTP Task does) so what the handler calls joins the trace. */
  traceparent: string;
  /** An OpenTelemetry context whose active span is the run span: the parent for spans of your own tracer. */
  context: Context;
  /** Starts a span under the run span, exported with Stepwise's spans; end it when done. */
  startSpan(name: string, options?: SpanOptions): Span;
}

/** What a task handler gets besides its input. */
export interface TaskContext {
  /** Fires when the task times out, the execution is stopped, or a sibling branch fails. */
  signal: AbortSignal;
  executionArn: string;
  stateName: string;
  /** Present for `.waitForTaskToken`: hand it to whoever will call SendTaskSuccess/Failure. */
  taskToken?: string;
  /** This attempt's id (also its task token). */
  taskId: string;
  resource: string;
  /** Present when the execution is traced: the span of this run, to add spans to and send on. */
  trace?: TaskTrace;
  /** SendTaskHeartbeat for this task (tasks with HeartbeatSeconds). */
  heartbeat(): Promise<void>;
  /**
   * The task is not done when the handler returns: it completes later through SendTaskSuccess/Failure
   * with this task's id (callbacks, nested `.sync` executions). `.waitForTaskToken` tasks defer always.
   * Resolves once the task's token is committed, so a callback can find it: await it before handing the
   * id out (a handler's first run may be inline, before its task is committed; see docs/task-handlers.md).
   */
  deferCompletion(): Promise<void>;
}

export type TaskHandler = (input: Json, context: TaskContext) => Promise<Json | undefined> | Json | undefined;

/** Throw this from a handler to fail the task with a named error (matched by Retry/Catch). */
export class TaskFailure extends Error {
  constructor(
    readonly error: string,
    readonly causeText?: string,
  ) {
    super(causeText ?? error);
    this.name = error;
  }
}
