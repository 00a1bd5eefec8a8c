/**
 * The scheduler's retention loop: a round every STEPWISE_EXPIRY_INTERVAL_MS, or one second after a round
 * that stopped at its budget, so a backlog (retention just shortened, a scheduler down for a while) drains
 * at a bounded pace. Its own loop, so that a long round never delays timers.
 */
import type { Runtime } from "../runtime.ts";
import { DEFAULT_EXPIRY_OPTIONS, type ExpiryOptions, type ExpiryReport, expireExecutions } from "./expiry.ts";

const BACKLOG_PAUSE_MS = 1000;

export interface ExpiryLoop {
  /** One round now. */
  round(): Promise<ExpiryReport>;
  close(): Promise<void>;
}

export function startExpiryLoop(runtime: Runtime, options: ExpiryOptions = DEFAULT_EXPIRY_OPTIONS): ExpiryLoop {
  const { config, logger } = runtime;
  const deps = { db: runtime.db, logger, observers: runtime.observers, retentionMs: config.STEPWISE_EXECUTION_RETENTION };
  let stopped = false;
  let running: Promise<unknown> | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const round = () => expireExecutions(deps, options);
  const loop = async () => {
    while (!stopped) {
      const attempt = round().then(
        (report) => {
          if (report.executions > 0) logger.info(report, "deleted executions past their retention");
          return report.exhausted;
        },
        (err) => {
          logger.error({ err }, "retention round failed");
          return false;
        },
      );
      running = attempt;
      const more = await attempt;
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, more ? BACKLOG_PAUSE_MS : config.STEPWISE_EXPIRY_INTERVAL_MS);
      });
    }
  };
  void loop();
  return {
    round,
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
