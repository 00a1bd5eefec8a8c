/**
 * Wall-clock time in an IANA zone, through Intl (no time zone database of our own). A wall time that a
 * daylight-saving change skips has no instant; one it repeats has two, of which schedules use the first.
 */
import { ValidationException } from "../validation.ts";

/** A local calendar time, month 1-12, to the second. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, f);
  }
  return f;
}

/** Refuses a zone Intl does not know, naming the field it came from. */
export function checkZone(zone: string, field = "ScheduleExpressionTimezone"): string {
  try {
    format(zone);
  } catch {
    throw new ValidationException(field, `Invalid time zone '${zone}'; use an IANA time zone name such as 'Europe/Paris'`);
  }
  return zone;
}

export function wallTimeAt(instant: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of format(zone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year as number,
    month: parts.month as number,
    day: parts.day as number,
    hour: parts.hour as number,
    minute: parts.minute as number,
    second: parts.second as number,
  };
}

/** The wall time read as if it were UTC: the arithmetic value of a local time. */
export function wallMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function offsetAt(instant: number, zone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  return wallMs(wallTimeAt(seconds, zone)) - seconds;
}

/**
 * The first instant showing this wall time in the zone, or undefined when a daylight-saving change
 * skips it. Offsets a day before and after cover the one change a day can hold.
 */
export function instantOf(w: WallTime, zone: string): number | undefined {
  const local = wallMs(w);
  let first: number | undefined;
  for (const offset of new Set([offsetAt(local - 86_400_000, zone), offsetAt(local + 86_400_000, zone)])) {
    const instant = local - offset;
    if (offsetAt(instant, zone) === offset && (first === undefined || instant < first)) first = instant;
  }
  return first;
}
