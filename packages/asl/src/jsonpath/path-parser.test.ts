import { describe, expect, it } from "vitest";
import { JsonPathSyntaxError } from "./path-cursor.ts";
import { parsePath } from "./path-parser.ts";

describe("parsePath: roots", () => {
  it.each([
    ["$", { kind: "input" }],
    ["$.a", { kind: "input" }],
    ["$$", { kind: "context" }],
    ["$$.Execution.Id", { kind: "context" }],
    ["$myVar", { kind: "variable", name: "myVar" }],
    ["$_v2.x", { kind: "variable", name: "_v2" }],
    ["$ÿnamé[0]", { kind: "variable", name: "ÿnamé" }],
  ])("%s", (text, root) => {
    expect(parsePath(text).root).toEqual(root);
  });
});

describe("parsePath: segments", () => {
  it("reads dot and bracket names alike", () => {
    const expected = [
      { kind: "property", names: ["a"], quote: "'" },
      { kind: "property", names: ["b c"], quote: "'" },
      { kind: "property", names: ["d"], quote: '"' },
    ];
    expect(parsePath("$.a['b c'][\"d\"]").segments).toEqual(expected);
  });

  it("keeps any character but '.', '[' and '(' in a dotted name", () => {
    expect(parsePath("$.a-b:c$d").segments).toEqual([{ kind: "property", names: ["a-b:c$d"], quote: "'" }]);
  });

  it("keeps bracketed names as written, a backslash only escaping the closing quote", () => {
    expect(parsePath("$['it\\'s', 'a\\\\b', '\\u0041']").segments).toEqual([
      { kind: "property", names: ["it\\'s", "a\\\\b", "\\u0041"], quote: "'" },
    ]);
  });

  it("reads indices, unions and slices", () => {
    expect(parsePath("$[0][-1][1, 2][1:3][2:][:-1]").segments).toEqual([
      { kind: "index", indexes: [0] },
      { kind: "index", indexes: [-1] },
      { kind: "index", indexes: [1, 2] },
      { kind: "slice", from: 1, to: 3 },
      { kind: "slice", from: 2, to: null },
      { kind: "slice", from: null, to: -1 },
    ]);
  });

  it("ignores a slice step, as Jayway does", () => {
    expect(parsePath("$[0:4:2]").segments).toEqual([{ kind: "slice", from: 0, to: 4 }]);
  });

  it("reads wildcards, deep scans and filters", () => {
    const kinds = parsePath("$.*[*]..a..[0]..*[?(@.x)]").segments.map((segment) => segment.kind);
    expect(kinds).toEqual(["wildcard", "wildcard", "scan", "property", "scan", "index", "scan", "wildcard", "filter"]);
  });

  it("accepts a dot before a bracket", () => {
    expect(parsePath("$.[0]").segments).toEqual([{ kind: "index", indexes: [0] }]);
  });
});

describe("parsePath: definite and reference paths", () => {
  it.each([
    ["$", true, true],
    ["$.a[0].b", true, true],
    ["$.a['x','y']", true, false],
    ["$.a['x','y'].z", false, false],
    ["$.a[0,1]", false, false],
    ["$.a[*]", false, false],
    ["$..a", false, false],
    ["$.a[1:]", false, false],
    ["$.a[?(@.b)]", false, false],
  ])("%s: definite %s, reference %s", (text, definite, reference) => {
    const path = parsePath(text);
    expect([path.definite, path.reference]).toEqual([definite, reference]);
  });

  it("records which segments have only definite segments before them", () => {
    expect(parsePath("$.a[*].b.c").upstreamDefinite).toEqual([true, true, false, false]);
  });
});

describe("parsePath: renderings used in Jayway's causes", () => {
  it("renders the whole path in bracket notation", () => {
    expect(parsePath('$.a[0]["b"]..c[1:2][*][?(@.x)]').rendered).toBe(`$['a'][0]["b"]..['c'][1:2][*][?]`);
  });

  it("renders names as written, with the quote they were written in", () => {
    const path = parsePath('$["it\'s"].x');
    expect(path.rendered).toBe(`$["it's"]['x']`);
    expect(path.prefixes).toEqual(["$", "$['it's']"]);
  });
});

describe("parsePath: syntax errors", () => {
  it.each([
    "",
    "a.b",
    "@.a",
    "$.",
    "$..",
    "$.a.",
    "$..a..",
    "$.a..",
    "$a b",
    "$.a b",
    "$[",
    "$[]",
    "$['a'",
    "$['a]",
    "$[a]",
    "$[1:x]",
    "$[:]",
    "$[1,]",
    "$.f()",
    "$[?(@.a]",
    "$[?@.a]",
    "$[9999999999]",
  ])("%j", (text) => {
    expect(() => parsePath(text)).toThrow(JsonPathSyntaxError);
  });
});
