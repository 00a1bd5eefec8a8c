/**
 * A schedule's due times: its expression evaluated in its zone, within StartDate and EndDate.
 *
 * - rate: every period from the anchor (StartDate, or when the schedule was created); a day is 24 hours,
 *   whatever daylight saving does to the wall clock.
 * - cron: the wall times the fields name, in the zone (see cron.ts for daylight-saving changes).
 * - at: once; StartDate and EndDate do not apply (AWS ignores them for one-time schedules).
 * EndDate is exclusive: a schedule invokes its target before it.
 */

import { cronDueAtOrAfter } from "./cron.ts";
import { atInstant, parseScheduleExpression, type ScheduleExpression } from "./expression.ts";
import { checkZone } from "./zone.ts";

export interface ScheduleTiming {
  expression: string;
  /** IANA zone; UTC when absent. */
  timezone?: string | null;
  startDate?: Date | null;
  endDate?: Date | null;
  /** Where a rate counts from when there is no StartDate: the schedule's creation. */
  createdAt: Date;
}

export class DueTimes {
  private readonly parsed: ScheduleExpression;
  private readonly zone: string;

  constructor(private readonly timing: ScheduleTiming) {
    this.parsed = parseScheduleExpression(timing.expression);
    this.zone = checkZone(timing.timezone ?? "UTC");
    // A one-time schedule's wall time must exist in its zone: checked now, not when it comes due.
    if (this.parsed.kind === "at") atInstant(this.parsed, this.zone, timing.expression);
  }

  get oneTime(): boolean {
    return this.parsed.kind === "at";
  }

  /** The first due time at or after `from`, or undefined when the schedule has none left. */
  atOrAfter(from: Date): Date | undefined {
    const { startDate, endDate, createdAt, expression } = this.timing;
    const parsed = this.parsed;
    if (parsed.kind === "at") {
      const instant = atInstant(parsed, this.zone, expression);
      return instant >= from.getTime() ? new Date(instant) : undefined;
    }
    const lower = Math.max(from.getTime(), startDate?.getTime() ?? -Infinity);
    let due: number | undefined;
    if (parsed.kind === "rate") {
      const anchor = (startDate ?? createdAt).getTime();
      due = lower <= anchor ? anchor : anchor + Math.ceil((lower - anchor) / parsed.periodMs) * parsed.periodMs;
    } else {
      due = cronDueAtOrAfter(parsed.fields, lower, this.zone);
    }
    if (due === undefined || (endDate && due >= endDate.getTime())) return undefined;
    return new Date(due);
  }

  /** The due time after `due`. */
  after(due: Date): Date | undefined {
    return this.atOrAfter(new Date(due.getTime() + 1));
  }
}
