/**
 * Where execution log records go: the process log, through a child logger of its own (`log:
 * "execution"`, at info whatever LOG_LEVEL says, since the state machine asked for them; only
 * LOG_LEVEL=silent silences them) so operators can route them, and a file when
 * STEPWISE_EXECUTION_LOG_FILE names one. It observes committed transitions and starts (so a rolled-back
 * transaction logs nothing) and Express executions' runs; events of executions that log nothing never
 * reach it (the engine attaches events only when the execution's level is not OFF).
 */
import type { HistoryEvent } from "@stepwise/asl";
import type { Logger } from "../logger.ts";
import type { ExecutionStartObservation, RuntimeObserver, TransitionObservation } from "../observers.ts";
import { ExecutionLogFile } from "./log-file.ts";
import { logRecord } from "./log-record.ts";
import { type ExecutionLogSettings, isLogged } from "./log-settings.ts";

/** An execution's events to log, as the engine hands them over. */
export interface LoggedEvents {
  executionArn: string;
  redriveCount: number;
  settings: ExecutionLogSettings;
  events: readonly HistoryEvent[];
}

export interface ExecutionLogOptions {
  /** STEPWISE_EXECUTION_LOG_FILE. */
  file?: string;
  /** Lines the file may lag behind by before new ones are dropped. */
  fileBuffer?: number;
}

export class ExecutionLog implements RuntimeObserver {
  private readonly log: Logger;
  private readonly file: ExecutionLogFile | undefined;

  constructor(logger: Logger, options: ExecutionLogOptions = {}) {
    this.log = logger.child({ log: "execution" }, { level: logger.level === "silent" ? "silent" : "info" });
    this.file =
      options.file === undefined
        ? undefined
        : new ExecutionLogFile(options.file, options.fileBuffer ?? 10_000, (err) =>
            logger.error({ err, file: options.file }, "the execution log file failed; its records are dropped"),
          );
  }

  /** Records the file dropped (full buffer or failed file), for the metric. */
  get dropped(): number {
    return this.file?.dropped ?? 0;
  }

  transition(event: TransitionObservation): void {
    if (event.result.logged) this.write(event.result.logged);
  }

  executionStarted(event: ExecutionStartObservation): void {
    if (event.logged) this.write(event.logged);
  }

  write({ executionArn, redriveCount, settings, events }: LoggedEvents): void {
    for (const event of events) {
      if (!isLogged(settings.level, event.type)) continue;
      const record = logRecord(event, executionArn, redriveCount, settings.includeExecutionData);
      this.log.info(record);
      this.file?.append(JSON.stringify(record));
    }
  }

  close(): Promise<void> {
    return this.file?.close() ?? Promise.resolve();
  }
}
