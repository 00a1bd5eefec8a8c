/**
 * When a cron expression is due: its wall times, in the schedule's zone, turned into instants. A wall time
 * that a spring-forward change skips is not due; one that a fall-back change repeats is due once, at its
 * first occurrence (as EventBridge Scheduler documents).
 */
import type { CronFields, DayOfMonth, DayOfWeek } from "./cron-fields.ts";
import { instantOf, wallTimeAt } from "./zone.ts";

const DAY_MS = 86_400_000;
const LAST_YEAR = 2199;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 (Sunday) … 7 (Saturday). */
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

function domMatches(dom: DayOfMonth, year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  if (dom.days.has(day) || (dom.last && day === last)) return true;
  if (dom.lastWeekday && day === nearestWeekday(year, month, last, last)) return true;
  return dom.nearestWeekday.some((target) => target <= last && day === nearestWeekday(year, month, target, last));
}

/** The weekday nearest a day, without leaving the month (`1W` on a Saturday is Monday the 3rd). */
function nearestWeekday(year: number, month: number, target: number, last: number): number {
  const dow = weekday(year, month, target);
  if (dow === 7) return target === 1 ? 3 : target - 1;
  if (dow === 1) return target === last ? target - 2 : target + 1;
  return target;
}

function dowMatches(dow: DayOfWeek, year: number, month: number, day: number): boolean {
  const today = weekday(year, month, day);
  if (dow.days.has(today)) return true;
  if (dow.lastOf.includes(today) && day + 7 > daysInMonth(year, month)) return true;
  return dow.nth.some(([d, n]) => d === today && Math.ceil(day / 7) === n);
}

function dayMatches(fields: CronFields, year: number, month: number, day: number): boolean {
  if (fields.dayOfMonth) return domMatches(fields.dayOfMonth, year, month, day);
  return fields.dayOfWeek ? dowMatches(fields.dayOfWeek, year, month, day) : true;
}

/** The first instant at or after `from` (ms) at which the expression is due in `zone`, or undefined if none remains. */
export function cronDueAtOrAfter(fields: CronFields, from: number, zone: string): number | undefined {
  const start = wallTimeAt(from, zone);
  const startMinute = start.hour * 60 + start.minute;
  let date = Date.UTC(start.year, start.month - 1, start.day);
  let first = true;
  for (;;) {
    const d = new Date(date);
    const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (year > LAST_YEAR) return undefined;
    if (!fields.years.has(year)) {
      date = Date.UTC(year + 1, 0, 1);
    } else if (!fields.months.has(month)) {
      date = Date.UTC(year, month, 1);
    } else {
      if (dayMatches(fields, year, month, day)) {
        for (const hour of fields.hours) {
          for (const minute of fields.minutes) {
            if (first && hour * 60 + minute < startMinute) continue;
            const instant = instantOf({ year, month, day, hour, minute, second: 0 }, zone);
            if (instant !== undefined && instant >= from) return instant;
          }
        }
      }
      date += DAY_MS;
    }
    first = false;
  }
}
