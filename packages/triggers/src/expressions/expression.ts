/**
 * Schedule expressions as EventBridge Scheduler takes them: `rate(value unit)`, `cron(six fields)` and
 * `at(yyyy-mm-ddThh:mm:ss)`, parsed once into something that says when it is due.
 */
import { ValidationException } from "../validation.ts";
import { CronFieldError, type CronFields, parseCronFields } from "./cron-fields.ts";
import { instantOf } from "./zone.ts";

export type ScheduleExpression =
  | { kind: "rate"; periodMs: number }
  | { kind: "cron"; fields: CronFields }
  /** The one-time schedule's wall time, resolved in its zone when due times are asked for. */
  | { kind: "at"; wall: { year: number; month: number; day: number; hour: number; minute: number; second: number } };

const FIELD = "ScheduleExpression";
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const invalid = (text: string, detail: string) => new ValidationException(FIELD, `Invalid Schedule Expression '${text}': ${detail}`);

export function parseScheduleExpression(text: string): ScheduleExpression {
  const match = /^(rate|cron|at)\((.*)\)$/s.exec(text);
  if (!match)
    throw invalid(text, "use rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)");
  const [, kind, body = ""] = match;
  if (kind === "rate") return { kind, periodMs: ratePeriod(text, body) };
  if (kind === "at") return { kind, wall: atWallTime(text, body) };
  try {
    return { kind: "cron", fields: parseCronFields(body) };
  } catch (error) {
    if (error instanceof CronFieldError) throw invalid(text, error.message);
    throw error;
  }
}

/** `rate(1 minute)`, `rate(5 minutes)`: the unit is singular for 1 and plural otherwise, as EventBridge requires. */
function ratePeriod(text: string, body: string): number {
  const match = /^(\d+) (minute|hour|day)(s?)$/.exec(body);
  if (!match) throw invalid(text, "a rate is 'value unit' with a positive whole value and a unit of minutes, hours or days");
  const [, digits = "", unit = "", plural] = match;
  const value = Number(digits);
  if (value < 1) throw invalid(text, "the rate's value must be positive");
  if ((value === 1) === (plural === "s")) throw invalid(text, `use '${value === 1 ? unit : `${unit}s`}' with the value ${value}`);
  return value * (UNIT_MS[unit] as number);
}

function atWallTime(text: string, body: string) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) throw invalid(text, "a one-time schedule is at(yyyy-mm-ddThh:mm:ss)");
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw invalid(text, "not a valid date and time");
  }
  return { year, month, day, hour, minute, second };
}

/** The instant a one-time schedule is due in its zone; refused when a daylight-saving change skips that wall time. */
export function atInstant(expression: Extract<ScheduleExpression, { kind: "at" }>, zone: string, text: string): number {
  const instant = instantOf(expression.wall, zone);
  if (instant === undefined) throw invalid(text, `this local time does not exist in ${zone} (a daylight-saving change skips it)`);
  return instant;
}
