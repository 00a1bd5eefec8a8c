import type { ExpiryOptions } from "../retention/expiry.ts";
import { startExpiryLoop } from "../retention/expiry-loop.ts";
import type { Runtime } from "../runtime.ts";
import { reconcile } from "./reconciler.ts";
import { pollDueTimers } from "./timer-poller.ts";

export interface SchedulerProcess {
  close(): Promise<void>;
  /** One round of timers and reconciliation, now (tests, and the first round at start-up). */
  tick(): Promise<void>;
}

export interface SchedulerOptions {
  timerGraceMs?: number;
  /** How much one retention round does (retention/expiry.ts); `false`: this scheduler deletes nothing. */
  expiry?: ExpiryOptions | false;
}

/**
 * The scheduler owns time: durable timers (Wait, retry backoff, task and heartbeat timeouts, execution
 * timeouts), the reconciler, and retention (executions past their retention period deleted). Several may
 * run; Postgres row locks give each piece of work to one.
 */
export function startScheduler(runtime: Runtime, options: SchedulerOptions = {}): SchedulerProcess {
  const { config, logger } = runtime;
  let lastReconcile = 0;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    await pollDueTimers(runtime, { graceMs: options.timerGraceMs ?? 2000, leaseMs: 30_000, batch: 200 });
    if (Date.now() - lastReconcile >= config.STEPWISE_RECONCILE_AFTER_MS / 2) {
      lastReconcile = Date.now();
      const report = await reconcile(runtime, config.STEPWISE_RECONCILE_AFTER_MS);
      if (report.threads + report.tasks + report.express + report.nested > 0) logger.info(report, "reconciler re-enqueued lost work");
    }
  };
  const loop = async () => {
    while (!stopped) {
      running = tick().catch((err) => logger.error({ err }, "scheduler round failed"));
      await running;
      await new Promise((resolve) => setTimeout(resolve, config.STEPWISE_SCHEDULER_POLL_MS));
    }
  };
  void loop();
  const expiry = options.expiry === false ? undefined : startExpiryLoop(runtime, options.expiry);
  return {
    tick,
    close: async () => {
      stopped = true;
      await Promise.all([running, expiry?.close()]);
    },
  };
}
