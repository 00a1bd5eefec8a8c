/**
 * Inline tasks: a worker that has a task's handler starts it inside the transition that scheduled it,
 * and if the handler answers within a few milliseconds, applies its outcome in that same transaction
 * and goes on to the next state. A chain of quick tasks then costs one transaction, not one per Task
 * state, and no task row: nothing outside the transaction could have seen the attempt. Temporal's
 * local activities do the same for short activities.
 *
 * What the transition may wait is bounded (STEPWISE_INLINE_TASK_MS, in total per transition), because
 * the execution's lock and the transaction's connection are held meanwhile. A handler that has not
 * answered by then keeps running; the transition schedules its attempt as usual (token row, timers),
 * and after the commit the worker adopts the run as a local task (worker/local-tasks.ts).
 *
 * Delivery stays at-least-once: if the transaction rolls back, the handler ran for a transition that
 * did not happen, and runs again when the transition is retried, as a Lambda function may.
 */
import type { Trigger } from "@stepwise/asl";
import type { TaskJob } from "../queues.ts";
import type { LocalTaskRunner } from "./local-task-runner.ts";

/** One transition's allowance of time spent waiting on handlers it runs inline. */
export class InlineAllowance {
  private leftMs: number;

  constructor(
    private readonly runners: ReadonlySet<LocalTaskRunner>,
    budgetMs: number,
  ) {
    this.leftMs = budgetMs;
  }

  /**
   * The attempt's outcome, when a runner ran it inline and it answered in time. An answer costs the
   * allowance what the handler made it wait, not the wall time until this transition resumed: meanwhile the
   * event loop runs other transitions, whose work (dozens at once on a busy worker) would otherwise use
   * up the allowance of quick handlers after a few states and send the rest through the queue.
   */
  async run(job: TaskJob): Promise<Trigger | undefined> {
    if (this.leftMs <= 0) return undefined;
    for (const runner of this.runners) {
      const started = performance.now();
      const running = runner.inline?.(job, this.leftMs);
      if (!running) continue;
      const outcome = await running;
      this.leftMs -= outcome ? outcome.handlerMs : performance.now() - started;
      return outcome?.trigger;
    }
    return undefined;
  }
}
