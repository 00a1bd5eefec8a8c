import { describe, expect, it } from "vitest";
import { matchesWildcard } from "./string-matches.ts";

describe("matchesWildcard", () => {
  it.each([
    ["log-2024.txt", "log-*.txt", true],
    ["log-.txt", "log-*.txt", true],
    ["log-2024.csv", "log-*.txt", false],
    ["anything", "*", true],
    ["", "*", true],
    ["", "", true],
    ["a", "", false],
    ["abc", "abc", true],
    ["abcd", "abc", false],
    ["xabc", "*abc", true],
    ["abcabc", "*abc", true],
    ["abcab", "*abc", false],
    ["a1b2c", "a*b*c", true],
    ["acb", "a*b*c", false],
    ["a.b", "a.b", true],
    ["axb", "a.b", false],
    ["(x)", "(*)", true],
  ])("%j against %j is %s", (value, pattern, expected) => {
    expect(matchesWildcard(value, pattern)).toBe(expected);
  });

  it("reads \\* as a literal asterisk and \\\\ as a literal backslash", () => {
    expect(matchesWildcard("a*b", "a\\*b")).toBe(true);
    expect(matchesWildcard("axb", "a\\*b")).toBe(false);
    expect(matchesWildcard("a\\b", "a\\\\b")).toBe(true);
    expect(matchesWildcard("a\\xyz", "a\\\\*")).toBe(true);
  });

  it("keeps a backslash before any other character", () => {
    expect(matchesWildcard("a\\nb", "a\\nb")).toBe(true);
  });

  it("stays fast on a long input that does not match a pattern of many stars", () => {
    const value = "a".repeat(100_000);
    const started = performance.now();
    expect(matchesWildcard(value, "*a*a*a*a*a*a*a*a*b")).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
