import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareInstants, isTimestamp, parseTimestamp } from "./timestamp.ts";

describe("parseTimestamp", () => {
  it.each([
    ["1970-01-01T00:00:00Z", 0, 0],
    ["2016-03-14T01:59:00Z", 1457920740, 0],
    ["2012-10-09T19:00:55+01:00", 1349805655, 0],
    ["2012-10-09T19:00:55-02:30", 1349818255, 0],
    ["2012-10-09T18:00:55.5Z", 1349805655, 500_000_000],
    ["2012-10-09T18:00:55.123456789Z", 1349805655, 123_456_789],
    ["2000-02-29T12:00:00Z", 951825600, 0],
    ["1969-12-31T23:59:59Z", -1, 0],
    ["0001-01-01T00:00:00Z", -62135596800, 0],
  ])("%s", (text, seconds, nanos) => {
    expect(parseTimestamp(text)).toEqual({ seconds, nanos });
  });

  it.each([
    "2012-10-09T19:00:55",
    "2012-10-09 19:00:55Z",
    "2012-10-09t19:00:55Z",
    "2012-10-09T19:00:55z",
    "2023-02-24",
    "2023-02-24 12:15:56.832957",
    "2012-10-09T19:00Z",
    "2012-10-09T19:00:55.Z",
    "2012-10-09T19:00:55.1234567891Z",
    "2012-13-09T19:00:55Z",
    "2012-02-30T19:00:55Z",
    "2100-02-29T00:00:00Z",
    "2012-10-09T24:00:00Z",
    "2012-10-09T19:60:00Z",
    "2012-10-09T19:00:60Z",
    "2012-10-09T19:00:55+19:00",
    "2012-10-09T19:00:55+0100",
    "date",
    "",
  ])("%j is not a timestamp", (text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});

describe("compareInstants", () => {
  const at = (text: string) => parseTimestamp(text) ?? expect.unreachable(text);

  it("compares the instants, whatever the offsets", () => {
    expect(compareInstants(at("2012-10-09T19:00:55+01:00"), at("2012-10-09T18:00:55Z"))).toBe(0);
    expect(compareInstants(at("2012-10-09T19:00:55Z"), at("2012-10-09T19:00:56Z"))).toBeLessThan(0);
    expect(compareInstants(at("2012-10-09T19:00:56Z"), at("2012-10-09T19:00:55Z"))).toBeGreaterThan(0);
  });

  it("tells apart instants that differ below a millisecond", () => {
    expect(compareInstants(at("2012-10-09T19:00:55.0000001Z"), at("2012-10-09T19:00:55Z"))).toBeGreaterThan(0);
  });
});

describe("isTimestamp", () => {
  it("accepts only strings that parse", () => {
    expect([isTimestamp("2016-03-14T01:59:00Z"), isTimestamp("2016-03-14"), isTimestamp(1457920740), isTimestamp(null)]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe("parseTimestamp agrees with the platform's ISO parser", () => {
  it("on any instant between the years 1000 and 9999, in any whole-minute offset", () => {
    const instants = fc.date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true });
    const offsets = fc.integer({ min: -18 * 60, max: 18 * 60 });
    fc.assert(
      fc.property(instants, offsets, (instant, offsetMinutes) => {
        const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, -1);
        const sign = offsetMinutes < 0 ? "-" : "+";
        const zone = `${sign}${String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, "0")}:${String(Math.abs(offsetMinutes) % 60).padStart(2, "0")}`;
        const parsed = parseTimestamp(local + zone);
        expect(parsed).toEqual({
          seconds: Math.floor(instant.getTime() / 1000),
          nanos: (((instant.getTime() % 1000) + 1000) % 1000) * 1_000_000,
        });
      }),
    );
  });
});
