import type { Trigger } from "@stepwise/asl";
import type { TaskJob } from "../queues.ts";

/** A worker's offer to run the task attempts this process's transitions schedule (see worker/local-tasks.ts). */
export interface LocalTaskRunner {
  /** Runs the attempt here, straight after its commit; false when it will not. */
  run(job: TaskJob): boolean;
  /** Takes over, after the commit, a run of the attempt that this runner began inline and that outlived its wait. */
  adopt(job: TaskJob): boolean;
  /** Begins the attempt inside its transition (see inline-tasks.ts); absent: never inline. */
  inline?: InlineTaskRunner;
}

/** A handler's answer inside its transition, and how long the handler itself took to give it. */
export interface InlineOutcome {
  trigger: Trigger;
  handlerMs: number;
}

/**
 * Starts an attempt's handler inside its transition. Undefined when it will not (not a handler of this
 * process, a slow one, no free slot). Otherwise resolves with the outcome when the handler answers within
 * `waitMs`, or with undefined when it does not: the run goes on, adopted after the commit.
 */
export type InlineTaskRunner = (job: TaskJob, waitMs: number) => Promise<InlineOutcome | undefined> | undefined;
