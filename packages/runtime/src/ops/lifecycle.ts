import type { Logger } from "../logger.ts";

/**
 * SIGTERM/SIGINT: run the shutdown steps in order within a grace period, then exit 0; a second signal
 * or an overrun exits at once (BullMQ hands unfinished jobs to other workers as stalled).
 */
export function exitOnSignals(logger: Logger, shutdown: () => Promise<void>, graceMs = 30_000): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal, graceMs }, "shutting down");
    const timer = setTimeout(() => {
      logger.warn("grace period over; exiting with work handed back");
      process.exit(1);
    }, graceMs);
    timer.unref();
    shutdown().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
