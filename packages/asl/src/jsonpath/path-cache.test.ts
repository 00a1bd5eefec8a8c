import { describe, expect, it } from "vitest";
import { compiledPath } from "./path-cache.ts";
import { JsonPathSyntaxError } from "./path-cursor.ts";

describe("compiledPath", () => {
  it("returns the same compiled path for the same text", () => {
    const first = compiledPath("$.a.b");
    expect(compiledPath("$.a.b")).toBe(first);
    expect(first).not.toBeInstanceOf(JsonPathSyntaxError);
  });

  it("returns (and keeps) the syntax error of an invalid path instead of throwing", () => {
    const error = compiledPath("$.");
    expect(error).toBeInstanceOf(JsonPathSyntaxError);
    expect(compiledPath("$.")).toBe(error);
  });
});
