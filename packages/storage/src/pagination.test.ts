import { describe, expect, it } from "vitest";
import { InvalidToken } from "./errors.ts";
import { decodeToken, encodeToken } from "./pagination.ts";

const forge = (tuple: unknown) => Buffer.from(JSON.stringify(tuple)).toString("base64url");

describe("a listing's nextToken", () => {
  it("gives back the sort key it was issued with", () => {
    const at = new Date("2026-03-01T10:20:30.456Z").toISOString();
    expect(decodeToken("list", encodeToken("list", [at, "arn:x"]), ["timestamp", "text"])).toEqual([at, "arn:x"]);
    expect(decodeToken("history", encodeToken("history", [42]), ["position"])).toEqual([42]);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["another listing's", forge(["other", 1])],
    ["a part too many", forge(["history", 1, 2])],
    ["a position that is text", forge(["history", "1"])],
    ["a negative position", forge(["history", -1])],
    ["a fractional position", forge(["history", 1.5])],
    ["a position past Postgres's integer", forge(["history", 2 ** 31])],
    ["a position of null", forge(["history", null])],
  ])("refuses %s with InvalidToken", (_what, token) => {
    expect(() => decodeToken("history", token, ["position"])).toThrow(InvalidToken);
  });

  it.each([
    ["a date Postgres cannot read", forge(["list", "yesterday", "arn:x"])],
    ["a day that does not exist", forge(["list", "2026-02-30T00:00:00.000Z", "arn:x"])],
    ["a number for a date", forge(["list", 0, "arn:x"])],
    ["a key holding U+0000", forge(["list", "2026-03-01T00:00:00.000Z", "arn\u0000x"])],
    ["an object for a key", forge(["list", "2026-03-01T00:00:00.000Z", { arn: "x" }])],
  ])("refuses %s with InvalidToken", (_what, token) => {
    expect(() => decodeToken("list", token, ["timestamp", "text"])).toThrow(InvalidToken);
  });
});
