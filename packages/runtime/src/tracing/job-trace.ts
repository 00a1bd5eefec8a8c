/**
 * What a queue job carries of its execution's trace, when the execution is traced (otherwise nothing:
 * the field is absent and costs nothing). It survives the process that sent the job: a timer that fires
 * in another worker, a task attempt the reconciler re-enqueues from its token row.
 */
export interface JobTrace {
  /** The span that sent the job (a transition), as a W3C traceparent: the parent of what the job does. */
  traceparent: string;
  /** When it was sent, epoch milliseconds: the start of a timer's or a task's queue wait span. */
  sentAt: number;
  /** A timer's span, recorded when it fires: `Wait <state>`, `Retry <state>`, `Timeout <state>`. */
  span?: string;
}

/** The span of a transition being applied, drawn before its effects so that jobs can name it. */
export interface TransitionSpan {
  spanId: string;
  /** Epoch milliseconds. */
  start: number;
  /** The state the transition began in (of its first request's thread). */
  stateName?: string;
  /** The states its steps reached, in order, without repeats in a row. */
  states: string[];
}
