import { describe, expect, it } from "vitest";
import type { Json } from "../json.ts";
import { PathBudget } from "./path-budget.ts";
import { parsePath } from "./path-parser.ts";
import { PathEvaluationError, selectAll, selectReference } from "./path-walker.ts";

function select(text: string, data: Json, strict = true): Json[] {
  return selectAll(parsePath(text), data, data, strict, new PathBudget());
}

const numbers = [0, 1, 2, 3, 4, 5];

describe("selectAll: slices follow Jayway's arithmetic", () => {
  it.each([
    ["$[1:3]", [1, 2]],
    ["$[4:]", [4, 5]],
    ["$[-2:]", [4, 5]],
    ["$[-10:]", numbers],
    ["$[:2]", [0, 1]],
    ["$[:-4]", [0, 1]],
    ["$[2:100]", [2, 3, 4, 5]],
    ["$[3:1]", []],
    ["$[1:-1]", []],
    ["$[-2:-1]", [4]],
    ["$[7:]", []],
  ] as Array<[string, Json[]]>)("%s", (text, expected) => {
    expect(select(text, numbers)).toEqual(expected);
  });

  it("selects nothing from an empty array", () => {
    expect(select("$[0:2]", [])).toEqual([]);
  });
});

describe("selectAll: indices and unions", () => {
  it("skips indices out of range and counts negative ones from the end", () => {
    expect(select("$[0,-1,9,-9]", numbers)).toEqual([0, 5]);
  });
});

describe("selectAll: wildcards and deep scans", () => {
  const tree: Json = { a: { b: 1, c: [{ b: 2 }, { d: { b: 3 } }] }, b: 0 };

  it("collects every match in document order, the node itself first", () => {
    expect(select("$..b", tree)).toEqual([0, 1, 2, 3]);
  });

  it("applies an index under a scan to every array", () => {
    expect(select("$..[0]", { x: [1, 2], y: { z: ["q"] } })).toEqual([1, "q"]);
  });

  it("lists every value below the root with ..*", () => {
    expect(select("$..*", { a: { b: 1 }, c: [2] })).toEqual([{ b: 1 }, [2], 1, 2]);
  });

  it("lists the values of an object or the items of an array with *", () => {
    expect(select("$.*", { x: 1, y: [2] })).toEqual([1, [2]]);
    expect(select("$[*]", [3, 4])).toEqual([3, 4]);
    expect(select("$.x[*]", { x: "text" })).toEqual([]);
  });

  it("applies several names under a scan where all of them are present, or anywhere when they are iterated", () => {
    const tree: Json = { x: { a: 1, b: 2 }, y: { a: 3 }, z: { a: { v: 4 }, b: { v: 5 } } };
    expect(select("$..['a','b']", tree)).toEqual([
      { a: 1, b: 2 },
      { a: { v: 4 }, b: { v: 5 } },
    ]);
    expect(select("$..['a','b'].v", tree)).toEqual([4, 5]);
  });

  it("iterates several names in the middle of a path", () => {
    expect(select("$['a','b','z'].v", { a: { v: 1 }, b: { v: 2 } })).toEqual([1, 2]);
  });
});

describe("selectAll: filters", () => {
  const items: Json = [{ n: 1, s: "1" }, { n: 2, s: "two" }, { n: null }, { s: "b" }, 7, "x"];

  it("compares numbers with strings holding numbers, as Jayway does", () => {
    expect(select("$[?(@.s == 1)].n", items)).toEqual([1]);
    expect(select("$[?(@.n == '2')].s", items)).toEqual(["two"]);
  });

  it("orders only numbers with numbers and strings with strings", () => {
    expect(select("$[?(@.n < 2)]", items)).toEqual([{ n: 1, s: "1" }]);
    expect(select("$[?(@.s > 'a')].s", items)).toEqual(["two", "b"]);
  });

  it("treats a missing value as unequal to anything", () => {
    expect(select("$[?(@.n != 1)]", items)).toEqual([{ n: 2, s: "two" }, { n: null }, { s: "b" }, 7, "x"]);
    expect(select("$[?(@.n == null)]", items)).toEqual([{ n: null }]);
  });

  it("tests the item itself with @", () => {
    expect(select("$[?(@ == 7)]", items)).toEqual([7]);
    expect(select("$[?(@ =~ /x/)]", items)).toEqual(["x"]);
  });

  it("compares objects and arrays by value", () => {
    expect(
      select("$.list[?(@.a == $.ref)].id", {
        list: [
          { a: [1, 2], id: 1 },
          { a: [2], id: 2 },
        ],
        ref: [1, 2],
      }),
    ).toEqual([1]);
  });

  it("applies a filter on an object to the object itself", () => {
    expect(select("$.o[?(@.k == 1)]", { o: { k: 1 } })).toEqual([{ k: 1 }]);
    expect(select("$.o[?(@.k == 2)]", { o: { k: 1 } })).toEqual([]);
  });

  it("raises on a filter over a primitive only while the path is definite", () => {
    expect(() => select("$.p[?(@)]", { p: 5 })).toThrow(
      new PathEvaluationError("Filter: [?] can not be applied to primitives. Current context is: 5"),
    );
    expect(select("$[*][?(@)]", [5])).toEqual([]);
  });
});

describe("selectAll: strictness", () => {
  it("raises Jayway's errors while every segment before was definite", () => {
    expect(() => select("$.a.b.c", { a: {} })).toThrow(new PathEvaluationError("Missing property in path $['a']['b']"));
    expect(() => select("$.a[*].b.c", { a: [{}] })).not.toThrow();
  });

  it("never raises when not strict", () => {
    expect(select("$.a.b.c", { a: "x" }, false)).toEqual([]);
    expect(select("$.a[0]", { a: null }, false)).toEqual([]);
  });
});

describe("selectReference", () => {
  const path = parsePath("$.a[1].b");

  it("returns the single node", () => {
    expect(selectReference(path, { a: [null, { b: "hit" }] }, true)).toBe("hit");
  });

  it("returns undefined when not strict and nothing is there", () => {
    expect(selectReference(path, { a: [null] }, false)).toBeUndefined();
    expect(selectReference(path, { a: "x" }, false)).toBeUndefined();
    expect(selectReference(path, { a: [0, 1] }, false)).toBeUndefined();
  });

  it("throws Jayway's error when strict", () => {
    expect(() => selectReference(path, { a: [0] }, true)).toThrow(new PathEvaluationError("No results for path: $['a'][1]['b']"));
    expect(() => selectReference(path, { a: [0, 1] }, true)).toThrow(
      /^Expected to find an object with property \['b'\] in path \$\['a'\]\[1\] but found 'java.lang.Integer'/,
    );
    expect(() => selectReference(path, { a: {} }, true)).toThrow(
      new PathEvaluationError("Filter: [1]['b'] can only be applied to arrays. Current context is: {}"),
    );
  });

  it("names the Java types Jayway reports", () => {
    const message = (data: Json) => {
      try {
        selectReference(parsePath("$.x.y"), { x: data }, true);
      } catch (error) {
        return (error as Error).message.match(/found '([^']+)'/)?.[1];
      }
      return undefined;
    };
    expect([message("s"), message(true), message(1.5), message(2 ** 40), message([]), message(null)]).toEqual([
      "java.lang.String",
      "java.lang.Boolean",
      "java.lang.Double",
      "java.lang.Long",
      "net.minidev.json.JSONArray",
      "null",
    ]);
  });
});
