import { describe, expect, it } from "vitest";
import { checkName } from "./names.ts";

describe("names follow AWS's rules", () => {
  it("accepts 1 to 80 plain characters, including dashes, dots, underscores and non-ASCII letters", () => {
    expect(() => checkName("order-42_v1.2", "execution")).not.toThrow();
    expect(() => checkName("a".repeat(80), "execution")).not.toThrow();
    expect(() => checkName("Bestellung-Größe-日本-😀", "execution")).not.toThrow();
    // A well-formed U+FFFD is a character like any other; only lone surrogates (which storage turns into it) are refused.
    expect(() => checkName("a\ufffd", "execution")).not.toThrow();
  });

  it.each([
    "",
    "a".repeat(81),
    "has space",
    "tab\there",
    "nbsp\u00a0x",
    "line\u2028sep",
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
    "a/b",
    "../x",
    "/",
    "ctl\u0001",
    "del\u007f",
    "c1\u0085",
    "non\ufffe",
    "non\uffff",
    "lone\ud800",
    "lone\udc00",
    "swapped\udc00\ud800",
    "rlo\u202eexe.txt",
    "lre\u202a",
    "pdf\u202c",
    "lri\u2066",
    "pdi\u2069",
    "lrm\u200e",
    "rlm\u200f",
    "alm\u061c",
  ])("rejects %j with InvalidName", (name) => {
    expect(() => checkName(name, "execution")).toThrow(expect.objectContaining({ name: "InvalidName" }));
  });

  it("names the field and the character, written so that it cannot act on the reader", () => {
    expect(() => checkName("a/b", "state machine")).toThrow(
      `Invalid Name: "a/b" (field 'name': state machine names may not contain white space, brackets, wildcards or the characters " # % \\ ^ | ~ \` $ & , ; : / (found "/"))`,
    );
    expect(() => checkName("x\u202ey", "execution", "Name")).toThrow(
      `Invalid Name: "x\\u202ey" (field 'Name': execution names may not contain a bidirectional control character (found U+202E))`,
    );
    expect(() => checkName("x\ud800", "activity")).toThrow(
      `Invalid Name: "x\\ud800" (field 'name': activity names may not contain a lone surrogate (found U+D800))`,
    );
  });
});
