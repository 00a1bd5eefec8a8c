import { describe, expect, it } from "vitest";
import { checkName } from "./names.ts";

describe("names follow AWS's rules", () => {
  it("accepts 1 to 80 plain characters, including dashes, dots, underscores and slashes", () => {
    expect(() => checkName("order-42_v1.2/x", "execution")).not.toThrow();
    expect(() => checkName("a".repeat(80), "execution")).not.toThrow();
  });

  it.each([
    "",
    "a".repeat(81),
    "has space",
    "tab\there",
    "star*",
    "q?",
    "<b>",
    "{x}",
    "[y]",
    'quote"',
    "col:on",
    "semi;",
    "com,ma",
    "back\\slash",
    "pi|pe",
    "ca^ret",
    "til~de",
    "dol$ar",
    "ha#sh",
    "per%cent",
    "amp&",
    "back`tick",
    "ctl\u0001",
    "del\u007f",
    "c1\u0085",
  ])("rejects %j with InvalidName", (name) => {
    expect(() => checkName(name, "execution")).toThrow(expect.objectContaining({ name: "InvalidName" }));
  });
});
