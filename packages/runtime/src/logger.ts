import { type Logger, pino } from "pino";

export type { Logger };

/** Structured JSON logs; children carry the execution ARN and state name. */
export function createLogger(level: string, name: string): Logger {
  return pino({ level, name, base: { service: name } });
}
