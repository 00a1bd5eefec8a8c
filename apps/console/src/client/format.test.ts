import { describe, expect, it } from "vitest";
import { executionDuration, formatDateTime, formatDuration, prettyJson } from "./format.ts";

describe("format", () => {
  it("writes durations at a readable precision", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_345)).toBe("12.3 s");
    expect(formatDuration(245_000)).toBe("4 min 05 s");
    expect(formatDuration(7_380_000)).toBe("2 h 03 min");
    expect(formatDuration(-1)).toBe("–");
  });

  it("measures a running execution up to now", () => {
    expect(executionDuration("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.500Z", 0)).toBe("1.5 s");
    expect(executionDuration("2024-01-01T00:00:00.000Z", null, Date.parse("2024-01-01T00:00:00.200Z"))).toBe("200 ms");
  });

  it("writes local times in a sortable shape and pretty-prints JSON payloads", () => {
    expect(formatDateTime("2024-03-05T14:07:09.000")).toBe("2024-03-05 14:07:09");
    expect(formatDateTime("not a date")).toBe("not a date");
    expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson("not json")).toBe("not json");
  });
});
