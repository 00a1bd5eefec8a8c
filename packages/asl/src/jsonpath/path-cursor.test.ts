import { describe, expect, it } from "vitest";
import { isWhitespace, JsonPathSyntaxError, PathCursor } from "./path-cursor.ts";

describe("PathCursor", () => {
  it("moves over whitespace and expected characters", () => {
    const cursor = new PathCursor("  [x");
    cursor.skipWhitespace();
    expect(cursor.pos).toBe(2);
    cursor.expect("[");
    expect(cursor.peek()).toBe("x");
    expect(cursor.startsWith("x")).toBe(true);
    expect(cursor.atEnd).toBe(false);
  });

  it("fails with the position", () => {
    const cursor = new PathCursor("ab");
    cursor.pos = 1;
    expect(() => cursor.expect("]")).toThrow(new JsonPathSyntaxError("expected ']' at position 1"));
  });

  it("knows JSON whitespace", () => {
    expect([" ", "\t", "\n", "\r", "x"].map(isWhitespace)).toEqual([true, true, true, true, false]);
  });
});
