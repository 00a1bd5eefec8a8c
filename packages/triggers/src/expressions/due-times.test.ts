/**
 * The evaluator against AWS's documented cron examples (EventBridge "Cron expressions" reference), each
 * written as the predicate its description states, checked by a brute-force walk over wall clocks in
 * several zones around their daylight-saving changes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationException } from "../validation.ts";
import { DueTimes } from "./due-times.ts";
import { type WallTime, wallTimeAt } from "./zone.ts";

const weekday = (w: WallTime) => new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(); // 0 = Sunday
const monToFri = (w: WallTime) => weekday(w) >= 1 && weekday(w) <= 5;

/** AWS's examples: the expression and, as a predicate on the local wall time, what its description says. */
const DOCUMENTED: Array<[string, string, (w: WallTime) => boolean]> = [
  ["0 10 * * ? *", "Run at 10:00 am every day", (w) => w.hour === 10 && w.minute === 0],
  ["15 12 * * ? *", "Run at 12:15 pm every day", (w) => w.hour === 12 && w.minute === 15],
  ["0 18 ? * MON-FRI *", "Run at 6:00 pm every Monday through Friday", (w) => w.hour === 18 && w.minute === 0 && monToFri(w)],
  ["0 8 1 * ? *", "Run at 8:00 am every first day of the month", (w) => w.day === 1 && w.hour === 8 && w.minute === 0],
  ["0/15 * * * ? *", "Run every 15 minutes", (w) => w.minute % 15 === 0],
  ["0/10 * ? * MON-FRI *", "Run every 10 minutes Monday through Friday", (w) => w.minute % 10 === 0 && monToFri(w)],
  [
    "0/5 8-17 ? * MON-FRI *",
    "Run every 5 minutes Monday through Friday between 8:00 am and 5:55 pm",
    (w) => w.minute % 5 === 0 && w.hour >= 8 && w.hour <= 17 && monToFri(w),
  ],
  [
    "0 9 ? * 2#1 *",
    "Run at 9:00 am on the first Monday of every month",
    (w) => w.hour === 9 && w.minute === 0 && weekday(w) === 1 && w.day <= 7,
  ],
];

/** Daylight-saving changes of 2026 in three zones with them, and one zone without. */
const ZONES: Array<[string, string[]]> = [
  ["America/New_York", ["2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z"]],
  ["Europe/Paris", ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"]],
  ["Australia/Sydney", ["2026-04-04T16:00:00Z", "2026-10-03T16:00:00Z"]],
  ["Asia/Kolkata", ["2026-06-01T00:00:00Z"]],
];

const STEP = 5 * 60_000;
const sameWall = (a: WallTime, b: WallTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/** The reference: walk instants 5 minutes apart; a wall time a fall-back change repeats counts once, the first time. */
function reference(predicate: (w: WallTime) => boolean, from: number, zone: string): number {
  for (let t = Math.ceil(from / STEP) * STEP; ; t += STEP) {
    const wall = wallTimeAt(t, zone);
    if (!predicate(wall)) continue;
    const repeated = [30, 60].some((minutes) => sameWall(wallTimeAt(t - minutes * 60_000, zone), wall));
    if (!repeated) return t;
  }
}

const aroundChanges = fc
  .constantFrom(...ZONES.flatMap(([zone, changes]) => changes.map((change) => [zone, Date.parse(change)] as const)))
  .chain(([zone, change]) =>
    fc.record({ zone: fc.constant(zone), from: fc.integer({ min: change - 3 * 86_400_000, max: change + 3 * 86_400_000 }) }),
  );

describe("cron expressions, as AWS documents them", () => {
  it.each(DOCUMENTED)("cron(%s): %s, in every zone, across daylight-saving changes", (fields, _description, predicate) => {
    const due = (zone: string, from: number) =>
      new DueTimes({ expression: `cron(${fields})`, timezone: zone, createdAt: new Date(0) }).atOrAfter(new Date(from))?.getTime();
    fc.assert(
      fc.property(aroundChanges, ({ zone, from }) => {
        expect(due(zone, from)).toBe(reference(predicate, from, zone));
      }),
      { numRuns: 25 },
    );
  });

  it("skips a wall time that spring-forward removes and fires a repeated one once", () => {
    const daily = (expression: string, zone: string, from: string, count: number) => {
      const times = new DueTimes({ expression, timezone: zone, createdAt: new Date(from) });
      const out: string[] = [];
      for (let t = times.atOrAfter(new Date(from)); t && out.length < count; t = times.after(t)) out.push(t.toISOString());
      return out;
    };
    // 2026-03-08 has no 02:30 in New York.
    expect(daily("cron(30 2 * * ? *)", "America/New_York", "2026-03-07T00:00:00Z", 2)).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-09T06:30:00.000Z",
    ]);
    // 2026-11-01 has 01:30 twice in New York; the schedule runs at the first.
    expect(daily("cron(30 1 * * ? *)", "America/New_York", "2026-10-31T00:00:00Z", 3)).toEqual([
      "2026-10-31T05:30:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("knows L, W, # and names", () => {
    const first = (expression: string) =>
      new DueTimes({ expression, createdAt: new Date(0) }).atOrAfter(new Date("2026-02-01T00:00:00Z"))?.toISOString();
    expect(first("cron(0 12 L * ? *)")).toBe("2026-02-28T12:00:00.000Z");
    expect(first("cron(0 12 LW MAR ? *)")).toBe("2026-03-31T12:00:00.000Z");
    expect(first("cron(0 12 15W * ? *)")).toBe("2026-02-16T12:00:00.000Z"); // the 15th is a Sunday
    expect(first("cron(0 12 1W * ? *)")).toBe("2026-02-02T12:00:00.000Z"); // the 1st is a Sunday
    expect(first("cron(0 12 ? * 6L *)")).toBe("2026-02-27T12:00:00.000Z"); // last Friday
    expect(first("cron(0 12 ? * L *)")).toBe("2026-02-07T12:00:00.000Z"); // Saturday
    expect(first("cron(0 12 ? * TUE#3 *)")).toBe("2026-02-17T12:00:00.000Z");
    expect(first("cron(0 12 29 FEB ? 2026-2029)")).toBe("2028-02-29T12:00:00.000Z");
    expect(first("cron(0 12 31 FEB ? *)")).toBeUndefined();
  });
});

describe("rate and one-time expressions", () => {
  it("counts a rate from StartDate in absolute time: a day is 24 hours across a daylight-saving change", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom("minutes", "hours", "days"),
        fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2027-01-01T00:00:00Z") }),
        fc.integer({ min: 0, max: 10 ** 10 }),
        (value, unit, start, offset) => {
          const expression = value === 1 ? `rate(1 ${unit.slice(0, -1)})` : `rate(${value} ${unit})`;
          const period = value * { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[unit as "days"];
          const times = new DueTimes({ expression, timezone: "Europe/Paris", startDate: new Date(start), createdAt: new Date(0) });
          const due = times.atOrAfter(new Date(start + offset)) as Date;
          expect((due.getTime() - start) % period).toBe(0);
          expect(due.getTime()).toBeGreaterThanOrEqual(start + offset);
          expect(due.getTime() - period).toBeLessThan(start + offset);
        },
      ),
    );
  });

  it("stops before EndDate and ignores StartDate/EndDate for at()", () => {
    const ending = new DueTimes({
      expression: "rate(1 hour)",
      startDate: new Date("2026-05-01T00:00:00Z"),
      endDate: new Date("2026-05-01T02:00:00Z"),
      createdAt: new Date(0),
    });
    expect(ending.after(new Date("2026-05-01T00:00:00Z"))?.toISOString()).toBe("2026-05-01T01:00:00.000Z");
    expect(ending.after(new Date("2026-05-01T01:00:00Z"))).toBeUndefined();
    const once = new DueTimes({
      expression: "at(2026-07-14T09:30:00)",
      timezone: "Europe/Paris",
      endDate: new Date(0),
      createdAt: new Date(0),
    });
    expect(once.atOrAfter(new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe("2026-07-14T07:30:00.000Z");
    expect(once.after(new Date("2026-07-14T07:30:00Z"))).toBeUndefined();
  });
});

describe("bad expressions are refused with a ValidationException naming the field", () => {
  const BAD: Array<[string, string | undefined, RegExp]> = [
    ["cron(0 10 * * * *)", undefined, /Day-of-month and Day-of-week/],
    ["cron(0 10 ? * ? *)", undefined, /Day-of-month and Day-of-week/],
    ["cron(0 10 * * ?)", undefined, /six fields/],
    ["cron(60 10 * * ? *)", undefined, /Minutes: 60 is outside 0-59/],
    ["cron(0 24 * * ? *)", undefined, /Hours: 24 is outside 0-23/],
    ["cron(0 10 32 * ? *)", undefined, /Day-of-month: 32/],
    ["cron(0 10 ? FOO * *)", undefined, /Month: 'FOO'/],
    ["cron(0 10 ? * 8 *)", undefined, /Day-of-week: 8/],
    ["cron(0 10 ? * MON#6 *)", undefined, /occurrence from 1 to 5/],
    ["cron(0 10 ? * */2 *)", undefined, /steps/],
    ["cron(0 10 * * ? 1969)", undefined, /Year: 1969/],
    ["cron(0 10-5 * * ? *)", undefined, /backwards/],
    ["rate(0 minutes)", undefined, /positive/],
    ["rate(5 minute)", undefined, /use 'minutes'/],
    ["rate(1 minutes)", undefined, /use 'minute'/],
    ["rate(5 weeks)", undefined, /minutes, hours or days/],
    ["at(2026-02-30T10:00:00)", undefined, /not a valid date/],
    ["at(2026-03-08T02:30:00)", "America/New_York", /does not exist in America\/New_York/],
    ["every day", undefined, /use rate/],
  ];
  it.each(BAD)("%s (zone %s)", (expression, timezone, message) => {
    const make = () => new DueTimes({ expression, timezone, createdAt: new Date(0) });
    expect(make).toThrow(ValidationException);
    expect(make).toThrow(/^ScheduleExpression: Invalid Schedule Expression/);
    expect(make).toThrow(message);
  });

  it("an unknown zone names ScheduleExpressionTimezone", () => {
    expect(() => new DueTimes({ expression: "rate(1 hour)", timezone: "Mars/Olympus", createdAt: new Date(0) })).toThrow(
      /^ScheduleExpressionTimezone: Invalid time zone 'Mars\/Olympus'/,
    );
  });
});
