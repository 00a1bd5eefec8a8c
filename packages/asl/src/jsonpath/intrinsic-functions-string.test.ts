import { describe, expect, it } from "vitest";
import { splitFormatTemplate } from "./intrinsic-functions-string.ts";
import { expectInvalidArguments, run } from "./intrinsic-test-support.ts";

describe("splitFormatTemplate", () => {
  it("splits at placeholders and resolves escapes", () => {
    expect(splitFormatTemplate("a{}b{}")).toEqual(["a", "b", ""]);
    expect(splitFormatTemplate("\\{\\}\\'\\\\")).toEqual(["{}'\\"]);
  });

  it.each(["Hello {", "}", "Hello {{}}", "{ }", "a\\n", "a\\"])("rejects %s", (template) => {
    expect(splitFormatTemplate(template)).toBeNull();
  });
});

describe("States.Format", () => {
  it("replaces each {} with the matching argument", () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: "Arnav" })).toBe("Hello, my name is Arnav.");
    expect(run("States.Format($.template, $.name)", { template: "Hello {}", name: "Ada" })).toBe("Hello Ada");
    expect(run("States.Format('no placeholders')")).toBe("no placeholders");
    expect(run("States.Format('  {}  ', 'x')")).toBe("  x  ");
  });

  it("prints values as Java's toString does", () => {
    const input = { s: "x", n: 2, f: 3.5, t: true, z: null, big: 9007199254740991, o: { Arg1: 1, Arg2: [] }, a: [1, "b", null] };
    expect(run("States.Format('{}|{}|{}|{}|{}|{}', $.s, $.n, $.f, $.t, $.z, $.big)", input)).toBe("x|2|3.5|true|null|9007199254740991");
    expect(run("States.Format('{} and {}', $.o, $.a)", input)).toBe("{Arg1=1, Arg2=[]} and [1, b, null]");
  });

  it("keeps escaped characters as text", () => {
    expect(run("States.Format('Name: \\'{}\\', set: \\{{}\\}, slash: \\\\', 'Gabriel', 1)")).toBe("Name: 'Gabriel', set: {1}, slash: \\");
  });

  it("formats the results of nested calls", () => {
    expect(run("States.Format('arn:{}:{}', $.svc, States.JsonToString($.obj))", { svc: "lambda", obj: { k: 1 } })).toBe(
      'arn:lambda:{"k":1}',
    );
  });

  it("rejects a placeholder count that differs from the argument count", () => {
    expectInvalidArguments("States.Format('{} {}', 'x')");
    expectInvalidArguments("States.Format('{}', 'x', 'y')");
  });

  it("rejects malformed templates and non-string templates", () => {
    expectInvalidArguments("States.Format('Hello {', 'x')");
    expectInvalidArguments("States.Format('}')");
    expectInvalidArguments("States.Format('Hello {{}}', 'x')");
    expectInvalidArguments("States.Format($.t, 'x')", { t: 123 });
    expectInvalidArguments("States.Format()");
  });
});

describe("States.StringSplit", () => {
  it("splits on every character of the delimiter string", () => {
    expect(run("States.StringSplit($.s, $.d)", { s: "This.is+a,test=string", d: ".+,=" })).toEqual(["This", "is", "a", "test", "string"]);
    expect(run("States.StringSplit($.s, 'ab')", { s: "1a2b3ab4" })).toEqual(["1", "2", "3", "4"]);
    expect(run("States.StringSplit($.s, '|')", { s: "a|b|c" })).toEqual(["a", "b", "c"]);
  });

  it("drops empty pieces like Java's StringTokenizer", () => {
    expect(run("States.StringSplit($.s, ',')", { s: ",a,,b," })).toEqual(["a", "b"]);
    expect(run("States.StringSplit($.s, ',')", { s: "," })).toEqual([]);
    expect(run("States.StringSplit($.s, ',')", { s: "" })).toEqual([]);
    expect(run("States.StringSplit($.s, '')", { s: "abc" })).toEqual(["abc"]);
  });

  it("splits on a newline written into the string literal", () => {
    expect(run("States.StringSplit('one\ntwo', '\n')")).toEqual(["one", "two"]);
  });

  it("rejects non-strings and wrong argument counts", () => {
    expectInvalidArguments("States.StringSplit($.v, ',')", { v: 123 });
    expectInvalidArguments("States.StringSplit($.v, ',')", { v: null });
    expectInvalidArguments("States.StringSplit('a,b', $.d)", { d: [","] });
    expectInvalidArguments("States.StringSplit('a,b')");
    expectInvalidArguments("States.StringSplit('a,b', ',', 'x')");
  });
});
