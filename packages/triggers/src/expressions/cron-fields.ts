/**
 * The six fields of an AWS cron expression (minutes hours day-of-month month day-of-week year), parsed
 * into the sets and special forms they allow, as EventBridge documents them:
 * - minutes 0-59, hours 0-23, month 1-12 or JAN-DEC, year 1970-2199: `, - * /`
 * - day-of-month 1-31: `, - * ? / L W`; day-of-week 1-7 or SUN-SAT (1 is Sunday): `, - * ? L #`
 * - one of day-of-month and day-of-week must be `?`, and only one.
 */

export interface DayOfMonth {
  days: ReadonlySet<number>;
  /** `L`: the month's last day. */
  last: boolean;
  /** `LW`: the month's last weekday. */
  lastWeekday: boolean;
  /** `15W`: the weekday nearest the 15th, within the month. */
  nearestWeekday: readonly number[];
}

export interface DayOfWeek {
  /** 1 (Sunday) … 7 (Saturday). */
  days: ReadonlySet<number>;
  /** `5L`: the month's last Thursday. */
  lastOf: readonly number[];
  /** `3#2`: the month's second Tuesday, as [3, 2]. */
  nth: ReadonlyArray<readonly [number, number]>;
}

export interface CronFields {
  minutes: readonly number[];
  hours: readonly number[];
  /** undefined for `?`. */
  dayOfMonth: DayOfMonth | undefined;
  months: ReadonlySet<number>;
  dayOfWeek: DayOfWeek | undefined;
  years: ReadonlySet<number>;
}

/** Why a field is malformed; the caller adds which expression it was. */
export class CronFieldError extends Error {}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Whether `a/n` steps are allowed (not in day-of-week). */
  steps: boolean;
}

const SPECS = {
  minutes: { name: "Minutes", min: 0, max: 59, steps: true },
  hours: { name: "Hours", min: 0, max: 23, steps: true },
  dayOfMonth: { name: "Day-of-month", min: 1, max: 31, steps: true },
  month: { name: "Month", min: 1, max: 12, names: MONTHS, steps: true },
  dayOfWeek: { name: "Day-of-week", min: 1, max: 7, names: DAYS, steps: false },
  year: { name: "Year", min: 1970, max: 2199, steps: true },
} satisfies Record<string, FieldSpec>;

export function parseCronFields(text: string): CronFields {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new CronFieldError(`a cron expression has six fields (minutes hours day-of-month month day-of-week year), not ${parts.length}`);
  }
  const [minutes, hours, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === "?") === (dow === "?")) {
    throw new CronFieldError("one of the Day-of-month and Day-of-week fields must be '?', and only one");
  }
  return {
    minutes: [...values(minutes, SPECS.minutes)].sort((a, b) => a - b),
    hours: [...values(hours, SPECS.hours)].sort((a, b) => a - b),
    dayOfMonth: dom === "?" ? undefined : dayOfMonth(dom),
    months: values(month, SPECS.month),
    dayOfWeek: dow === "?" ? undefined : dayOfWeek(dow),
    years: values(year, SPECS.year),
  };
}

function dayOfMonth(text: string): DayOfMonth {
  const result = { days: new Set<number>(), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  for (const item of items(text, SPECS.dayOfMonth)) {
    if (item === "L") result.last = true;
    else if (item === "LW") result.lastWeekday = true;
    else if (item.endsWith("W")) result.nearestWeekday.push(number(item.slice(0, -1), SPECS.dayOfMonth));
    else for (const day of range(item, SPECS.dayOfMonth)) result.days.add(day);
  }
  return result;
}

function dayOfWeek(text: string): DayOfWeek {
  const result = { days: new Set<number>(), lastOf: [] as number[], nth: [] as Array<[number, number]> };
  for (const item of items(text, SPECS.dayOfWeek)) {
    if (item === "L") result.days.add(7);
    else if (item.endsWith("L")) result.lastOf.push(number(item.slice(0, -1), SPECS.dayOfWeek));
    else if (item.includes("#")) {
      const [day = "", nth = ""] = item.split("#");
      const n = Number(nth);
      if (!/^[1-5]$/.test(nth)) throw new CronFieldError(`Day-of-week: '${item}' needs an occurrence from 1 to 5 after '#'`);
      result.nth.push([number(day, SPECS.dayOfWeek), n]);
    } else for (const day of range(item, SPECS.dayOfWeek)) result.days.add(day);
  }
  return result;
}

function items(text: string, spec: FieldSpec): string[] {
  const list = text.toUpperCase().split(",");
  if (list.some((item) => item === "")) throw new CronFieldError(`${spec.name}: '${text}' has an empty list item`);
  return list;
}

function values(text: string, spec: FieldSpec): Set<number> {
  const result = new Set<number>();
  for (const item of items(text, spec)) for (const value of range(item, spec)) result.add(value);
  return result;
}

/** `*`, `a`, `a-b`, each optionally `/step`. */
function range(item: string, spec: FieldSpec): number[] {
  const [span = "", step, extra] = item.split("/");
  if (extra !== undefined) throw new CronFieldError(`${spec.name}: '${item}' has more than one '/'`);
  if (step !== undefined && !spec.steps) throw new CronFieldError(`${spec.name}: '${item}': steps ('/') are not allowed in this field`);
  const by = step === undefined ? 1 : Number(step);
  if (step !== undefined && (!/^\d+$/.test(step) || by < 1))
    throw new CronFieldError(`${spec.name}: '${item}' needs a positive step after '/'`);
  let from: number;
  let to: number;
  if (span === "*") [from, to] = [spec.min, spec.max];
  else if (span.includes("-")) {
    const [a = "", b = ""] = span.split("-");
    [from, to] = [number(a, spec), number(b, spec)];
    if (from > to) throw new CronFieldError(`${spec.name}: the range '${span}' runs backwards`);
  } else {
    from = number(span, spec);
    // `5/15`: from 5 to the end of the field, every 15.
    to = step === undefined ? from : spec.max;
  }
  const out: number[] = [];
  for (let v = from; v <= to; v += by) out.push(v);
  return out;
}

function number(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) throw new CronFieldError(`${spec.name}: '${text}' is not a value of this field`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronFieldError(`${spec.name}: ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}
