import { describe, expect, it } from "vitest";
import { deadlineAt, LinearRegex, RegexDeadlineExceeded, RegexSyntaxError } from "./linear-regex.ts";

const never = () => {};

describe("LinearRegex", () => {
  it("matches like RegExp for the patterns definitions use: groups, flags, UTF-16 offsets", () => {
    expect(LinearRegex.compile("(\\d{4})-(x)?(\\d+)").exec("on 2024-12 ok", 0, never)).toEqual({
      groups: ["2024-12", "2024", undefined, "12"],
      start: 3,
      end: 10,
    });
    expect(LinearRegex.compile("é(x)").exec("aé😀éx", 0, never)).toMatchObject({ start: 4, end: 6 });
    expect(LinearRegex.compile("b").exec("abab", 2, never)).toMatchObject({ start: 3 });
    expect(LinearRegex.compile("^h", "i").exec("Hello", 0, never)).not.toBeNull();
    expect(LinearRegex.compile("^b", "m").exec("a\nb", 0, never)).toMatchObject({ start: 2 });
    expect(LinearRegex.compile("a|b").matchesWhole("ab", never)).toBe(false);
    expect(LinearRegex.compile("a.b", "s").matchesWhole("a\nb", never)).toBe(true);
  });

  it("takes linear time where RegExp backtracks exponentially", () => {
    const started = performance.now();
    expect(LinearRegex.compile("^(a+)+$").exec(`${"a".repeat(5_000)}!`, 0, never)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("stops a search that runs past its deadline", () => {
    // A thousand-instruction program over 250,000 characters: linear, but seconds of work.
    const heavy = LinearRegex.compile("(?:.{100}){10}[^a]");
    const started = performance.now();
    expect(() => heavy.exec("a".repeat(250_000), 0, deadlineAt(started + 50))).toThrow(RegexDeadlineExceeded);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("refuses what only a backtracking engine can do", () => {
    expect(() => LinearRegex.compile("(a)\\1")).toThrow(RegexSyntaxError);
    expect(() => LinearRegex.compile("a(?=b)")).toThrow(RegexSyntaxError);
  });
});
