import { describe, expect, it } from "vitest";
import { StatesError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import { applyResultPath, compilePath, findPath, isPath, isReferencePath, readPath } from "./path.ts";
import { JsonPathSyntaxError } from "./path-cursor.ts";

const scope: EvaluationScope = {
  context: { Execution: { Id: "arn:aws:states:us-east-1:123456789012:execution:m:e", Input: { a: 1 } } },
  variables: { order: { items: [{ sku: "a" }, { sku: "b" }] }, flag: false },
  random: () => 0.5,
};

const store: Json = {
  store: {
    book: [
      { category: "reference", author: "Rees", title: "Sayings", price: 8.95 },
      { category: "fiction", author: "Waugh", title: "Sword", price: 12.99 },
      { category: "fiction", author: "Melville", title: "Moby Dick", isbn: "0-553-21311-3", price: 8.99 },
      { category: "fiction", author: "Tolkien", title: "Rings", isbn: "0-395-19395-8", price: 22.99 },
    ],
    bicycle: { color: "red", price: 19.95 },
  },
  expensive: 10,
};

function causeOf(run: () => unknown): [string | null, string | null] {
  try {
    run();
  } catch (error) {
    if (error instanceof StatesError) return [error.error, error.causeText];
    throw error;
  }
  throw new Error("expected a StatesError");
}

describe("readPath: definite paths yield one value", () => {
  it.each([
    ["$", store],
    ["$.expensive", 10],
    ["$.store.bicycle.color", "red"],
    ["$['store']['bicycle']['color']", "red"],
    ['$["store"].bicycle["price"]', 19.95],
    ["$.store.book[1].author", "Waugh"],
    ["$.store.book[-1].title", "Rings"],
    ["$.store.book[0]['price']", 8.95],
  ] as Array<[string, Json]>)("%s", (path, expected) => {
    expect(readPath(path, store, scope)).toEqual(expected);
  });

  it("returns the node itself, not a copy", () => {
    const data = { a: { b: [1, 2] } };
    expect(readPath("$.a", data, scope)).toBe(data.a);
  });

  it("reads a null value as null", () => {
    expect(readPath("$.a", { a: null }, scope)).toBeNull();
  });

  it("merges several names at the end of a path into one object, as Jayway does", () => {
    expect(readPath("$.store.bicycle['color','price','gears']", store, scope)).toEqual({ color: "red", price: 19.95 });
  });

  it("keeps a backslash in a bracketed name, as AWS does", () => {
    const key = 'Test\\""Name"';
    expect(readPath(`$['${key}']`, { [key]: "found" }, scope)).toBe("found");
  });

  it("does not read inherited properties", () => {
    expect(findPath("$.constructor", {}, scope)).toBeUndefined();
    expect(findPath("$.toString", { a: 1 }, scope)).toBeUndefined();
  });
});

describe("readPath: indefinite paths yield an array of matches", () => {
  it.each([
    ["$.store.book[*].author", ["Rees", "Waugh", "Melville", "Tolkien"]],
    ["$.store.book.*.price", [8.95, 12.99, 8.99, 22.99]],
    ["$..author", ["Rees", "Waugh", "Melville", "Tolkien"]],
    ["$.store..price", [8.95, 12.99, 8.99, 22.99, 19.95]],
    ["$.store.book[0,2].title", ["Sayings", "Moby Dick"]],
    ["$.store.book[1:3].title", ["Sword", "Moby Dick"]],
    ["$.store.book[-2:].title", ["Moby Dick", "Rings"]],
    ["$.store.book[:1].title", ["Sayings"]],
    ["$.store.book[?(@.isbn)].title", ["Moby Dick", "Rings"]],
    ["$.store.book[?(!@.isbn)].title", ["Sayings", "Sword"]],
    ["$.store.book[?(@.price < 10)].title", ["Sayings", "Moby Dick"]],
    ["$.store.book[?(@.price > $.expensive)].title", ["Sword", "Rings"]],
    ["$.store.book[?(@.category == 'fiction' && @.price <= 12.99)].author", ["Waugh", "Melville"]],
    ["$.store.book[?(@.author == 'Rees' || @.author == \"Tolkien\")].price", [8.95, 22.99]],
    ["$.store.book[?(@.title =~ /.*DICK/i)].author", ["Melville"]],
    ["$..book[?(@.price >= 22.99)].title", ["Rings"]],
    ["$.store.book[?(@.nothing == 1)]", []],
  ] as Array<[string, Json]>)("%s", (path, expected) => {
    expect(readPath(path, store, scope)).toEqual(expected);
  });
});

describe("readPath: roots", () => {
  it("reads the context object with $$", () => {
    expect(readPath("$$.Execution.Input.a", null, scope)).toBe(1);
    expect(readPath("$$", null, scope)).toBe(scope.context);
  });

  it("reads a variable with $name", () => {
    expect(readPath("$order.items[1].sku", null, scope)).toBe("b");
    expect(readPath("$flag", null, scope)).toBe(false);
    expect(readPath("$order.items[*].sku", null, scope)).toEqual(["a", "b"]);
  });

  it("fails on a variable that is not in scope", () => {
    expect(causeOf(() => readPath("$missing.x", {}, scope))).toEqual([
      "States.Runtime",
      "Invalid path '$missing.x' : No such variable 'missing' in scope",
    ]);
  });
});

describe("readPath: AWS's causes when a definite path finds nothing", () => {
  it("reports a missing leaf the way AWS does", () => {
    expect(causeOf(() => readPath("$.NoSuchInputPath", { a: 1 }, scope))).toEqual([
      "States.Runtime",
      "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
    ]);
  });

  it.each([
    ["$.store.bicycle.gears", "No results for path: $['store']['bicycle']['gears']"],
    ["$.store.book[7]", "No results for path: $['store']['book'][7]"],
    ["$.store.missing.x", "Missing property in path $['store']['missing']"],
    [
      "$.expensive.x",
      "Expected to find an object with property ['x'] in path $['expensive'] but found 'java.lang.Integer'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
    ],
    ["$.store.bicycle[0]", 'Filter: [0] can only be applied to arrays. Current context is: {"color":"red","price":19.95}'],
  ])("%s", (path, cause) => {
    expect(causeOf(() => readPath(path, store, scope))).toEqual(["States.Runtime", `Invalid path '${path}' : ${cause}`]);
  });

  it("reports an index into null", () => {
    expect(causeOf(() => readPath("$.a[0]", { a: null }, scope))[1]).toBe("Invalid path '$.a[0]' : The path $['a'] is null");
  });

  it("reports a syntax error as an invalid path", () => {
    expect(causeOf(() => readPath("$.a.length()", { a: [] }, scope))[1]).toMatch(/^Invalid path '\$\.a\.length\(\)' : /);
  });

  it("does not fail an indefinite path that matches nothing", () => {
    expect(readPath("$.nothing[*]", { nothing: "x" }, scope)).toEqual([]);
    expect(readPath("$..nothing", store, scope)).toEqual([]);
  });
});

describe("findPath", () => {
  it("returns undefined where readPath fails", () => {
    expect(findPath("$.a.b", { a: {} }, scope)).toBeUndefined();
    expect(findPath("$.a.b.c", { a: {} }, scope)).toBeUndefined();
    expect(findPath("$.a.b", { a: "text" }, scope)).toBeUndefined();
    expect(findPath("$.a[3]", { a: [1] }, scope)).toBeUndefined();
    expect(findPath("$.a['x','y'].z", { a: { x: 1 } }, scope)).toEqual([]);
    expect(findPath("$nope", null, scope)).toBeUndefined();
  });

  it("returns what is there, null included", () => {
    expect(findPath("$.a", { a: null }, scope)).toBeNull();
    expect(findPath("$$.Execution.Input", null, scope)).toEqual({ a: 1 });
    expect(findPath("$.a[?(@ > 1)]", { a: [1, 2, 3] }, scope)).toEqual([2, 3]);
  });
});

describe("isPath and isReferencePath", () => {
  it.each([
    "$",
    "$$",
    "$.a",
    "$.a.b[0]",
    "$['a b']",
    "$$.Execution.Id",
    "$var",
    "$var.x[1]",
    "$.a[*]",
    "$..a",
    "$.a[?(@.b == 'c')]",
    "$.a[1:2]",
    "$.a[0,1]",
    "$.[0]",
  ])("%s is a path", (path) => expect(isPath(path)).toBe(true));

  it.each(["", "a", "$.", "$..", "$.a.", "$.a b", "$.a[", "$.a[x]", "$.a.length()", "$.a[?(@.b ==)]", "$[1:2:3:]x", "States.Format('x')"])(
    "%s is not a path",
    (path) => expect(isPath(path)).toBe(false),
  );

  it.each(["$", "$.a", "$.a.b[0]", "$['a']['b']", "$$.Map.Item.Value", "$var.items[0]", "$.a[-1]"])("%s is a reference path", (path) => {
    expect(isReferencePath(path)).toBe(true);
  });

  it.each(["$.a[*]", "$..a", "$.a[0,1]", "$.a[1:]", "$.a[?(@.x)]", "$['a','b']", "$.*", "nope"])("%s is not a reference path", (path) => {
    expect(isReferencePath(path)).toBe(false);
  });
});

describe("compilePath", () => {
  it("compiles each text once", () => {
    expect(compilePath("$.cached.path")).toBe(compilePath("$.cached.path"));
  });

  it("describes the root and whether the path is definite", () => {
    expect(compilePath("$v.a").root).toEqual({ kind: "variable", name: "v" });
    expect(compilePath("$$.a").root).toEqual({ kind: "context" });
    expect(compilePath("$.a['b','c']").definite).toBe(true);
    expect(compilePath("$.a[0,1]").definite).toBe(false);
  });

  it("throws a syntax error for an invalid path", () => {
    expect(() => compilePath("$.")).toThrow(JsonPathSyntaxError);
  });
});

describe("applyResultPath (re-exported)", () => {
  it("places the result", () => {
    expect(applyResultPath({ a: 1 }, "$.r", 2)).toEqual({ a: 1, r: 2 });
  });
});
