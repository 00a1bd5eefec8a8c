import { describe, expect, it } from "vitest";
import { expectInvalidArguments, run } from "./intrinsic-test-support.ts";

describe("States.Array", () => {
  it("builds an array of its arguments in order, any types", () => {
    expect(run("States.Array()")).toEqual([]);
    expect(run("States.Array(42, true, null, 'hello', $.obj, States.Array(2, 3))", { obj: { k: [1] } })).toEqual([
      42,
      true,
      null,
      "hello",
      { k: [1] },
      [2, 3],
    ]);
  });
});

describe("States.ArrayPartition", () => {
  it("splits into chunks, the last one shorter", () => {
    expect(run("States.ArrayPartition($.a, 4)", { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    expect(run("States.ArrayPartition($.a, 10)", { a: [1, 2, 3] })).toEqual([[1, 2, 3]]);
    expect(run("States.ArrayPartition($.a, 3)", { a: [] })).toEqual([]);
  });

  it("drops the fraction of the chunk size", () => {
    expect(run("States.ArrayPartition($.a, 2.6)", { a: [1, 2, 3, 4, 5] })).toEqual([[1, 2], [3, 4], [5]]);
  });

  it.each(["0", "-1", "0.6", "-0.4", "'2'", "null"])("rejects chunk size %s", (size) => {
    expectInvalidArguments(`States.ArrayPartition($.a, ${size})`, { a: [1, 2, 3] });
  });

  it("rejects a non-array and wrong argument counts", () => {
    expectInvalidArguments("States.ArrayPartition('not-array', 2)");
    expectInvalidArguments("States.ArrayPartition($.a)", { a: [1] });
    expectInvalidArguments("States.ArrayPartition($.a, 2, 999)", { a: [1] });
  });
});

describe("States.ArrayContains", () => {
  it("finds values of every type", () => {
    expect(run("States.ArrayContains($.a, 2)", { a: [1, 2, 3] })).toBe(true);
    expect(run("States.ArrayContains($.a, 5)", { a: [1, 2, 3] })).toBe(false);
    expect(run("States.ArrayContains($.a, null)", { a: [1, null] })).toBe(true);
    expect(run("States.ArrayContains($.a, $.t)", { a: [[1, 2], [3]], t: [1, 2] })).toBe(true);
    expect(run("States.ArrayContains($.a, $.t)", { a: [{ a: 1 }], t: { a: 1 } })).toBe(true);
    expect(run("States.ArrayContains($.a, $.t)", { a: [{ a: 1 }], t: { a: 1, extra: null } })).toBe(false);
    expect(run("States.ArrayContains($.a, $.t)", { a: [], t: [] })).toBe(false);
  });

  it("compares Java text like AWS: key order matters, numbers and booleans match their strings", () => {
    expect(run("States.ArrayContains($.a, $.t)", { a: [{ a: 1, b: 2 }], t: { b: 2, a: 1 } })).toBe(false);
    expect(run("States.ArrayContains($.a, 9007199254740991)", { a: ["9007199254740991"] })).toBe(true);
    expect(run("States.ArrayContains($.a, true)", { a: ["true"] })).toBe(true);
    expect(run("States.ArrayContains($.a, false)", { a: [0, 1, -1] })).toBe(false);
  });

  it("rejects a non-array and wrong argument counts", () => {
    expectInvalidArguments("States.ArrayContains('not-array', 'x')");
    expectInvalidArguments("States.ArrayContains($.a)", { a: [1] });
    expectInvalidArguments("States.ArrayContains($.a, 2, 999)", { a: [1] });
  });
});

describe("States.ArrayRange", () => {
  it("counts from the first to the last value by the step, both directions", () => {
    expect(run("States.ArrayRange(1, 9, 2)")).toEqual([1, 3, 5, 7, 9]);
    expect(run("States.ArrayRange(-2, 2, 2)")).toEqual([-2, 0, 2]);
    expect(run("States.ArrayRange(5, 1, -2)")).toEqual([5, 3, 1]);
    expect(run("States.ArrayRange(3, 3, -1)")).toEqual([3]);
    expect(run("States.ArrayRange(5, 1, 1)")).toEqual([]);
    expect(run("States.ArrayRange(1, 5, -1)")).toEqual([]);
  });

  it("drops the fractions of its arguments", () => {
    expect(run("States.ArrayRange(1.6, 1.4, 1)")).toEqual([1]);
    expect(run("States.ArrayRange(5.4, -0.6, -2.4)")).toEqual([5, 3, 1]);
    expectInvalidArguments("States.ArrayRange(1, 10, 0.49)");
  });

  it("allows up to 1000 items", () => {
    const up = run("States.ArrayRange(1, 1000, 1)") as number[];
    expect([up.length, up[0], up[999]]).toEqual([1000, 1, 1000]);
    expect((run("States.ArrayRange(1000, 1, -1)") as number[]).length).toBe(1000);
    expectInvalidArguments("States.ArrayRange(1, 1001, 1)");
    expectInvalidArguments("States.ArrayRange(1001, 1, -1)");
    expectInvalidArguments("States.ArrayRange(0, 2000000000, 1)");
  });

  it("rejects a zero step, non-numbers and wrong argument counts", () => {
    expectInvalidArguments("States.ArrayRange(1, 10, 0)");
    expectInvalidArguments("States.ArrayRange('a', 5, 1)");
    expectInvalidArguments("States.ArrayRange(1, 'b', 1)");
    expectInvalidArguments("States.ArrayRange(1, 5, 'c')");
    expectInvalidArguments("States.ArrayRange(1, 5)");
    expectInvalidArguments("States.ArrayRange(1, 5, 1, 99)");
  });
});

describe("States.ArrayGetItem", () => {
  it("returns the item at the index, the fraction dropped", () => {
    expect(run("States.ArrayGetItem($.a, $.i)", { a: [10, 20, 30, 40], i: 2 })).toBe(30);
    expect(run("States.ArrayGetItem($.a, 1)", { a: [{ a: 1 }, { b: 2 }] })).toEqual({ b: 2 });
    expect(run("States.ArrayGetItem($.a, 0)", { a: [null] })).toBeNull();
    expect(run("States.ArrayGetItem($.a, 1.2)", { a: [10, 20, 30] })).toBe(20);
  });

  it("returns null for any index into an empty array, as AWS does", () => {
    expect(run("States.ArrayGetItem($.a, 999)", { a: [] })).toBeNull();
  });

  it("rejects an index outside the array, non-arrays, non-numbers and wrong counts", () => {
    expectInvalidArguments("States.ArrayGetItem($.a, 3)", { a: [10, 20, 30] });
    expectInvalidArguments("States.ArrayGetItem($.a, -1)", { a: [10, 20, 30] });
    expectInvalidArguments("States.ArrayGetItem($.a, '1')", { a: [10, 20, 30] });
    expectInvalidArguments("States.ArrayGetItem('not-array', 0)");
    expectInvalidArguments("States.ArrayGetItem($.a)", { a: [1] });
  });
});

describe("States.ArrayLength", () => {
  it("counts the items", () => {
    expect(run("States.ArrayLength($.a)", { a: [] })).toBe(0);
    expect(run("States.ArrayLength($.a)", { a: [null, [1, 2], {}] })).toBe(3);
  });

  it("rejects a non-array", () => {
    expectInvalidArguments("States.ArrayLength($.a)", { a: "abc" });
    expectInvalidArguments("States.ArrayLength()");
  });
});

describe("States.ArrayUnique", () => {
  it("removes structural duplicates, keeping first occurrences in order", () => {
    expect(run("States.ArrayUnique($.a)", { a: [1, 2, 1, 3, 2, 4] })).toEqual([1, 2, 3, 4]);
    expect(run("States.ArrayUnique($.a)", { a: [1, "1", 1.0, "01", null, null] })).toEqual([1, "1", "01", null]);
    expect(run("States.ArrayUnique($.a)", { a: [{ a: 1, b: 2 }, { b: 2, a: 1 }, { n: { x: 1 } }, { n: { x: 1 } }] })).toEqual([
      { a: 1, b: 2 },
      { n: { x: 1 } },
    ]);
    expect(
      run("States.ArrayUnique($.a)", {
        a: [
          [1, 2],
          [1, 2],
          [2, 1],
        ],
      }),
    ).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it("rejects a non-array", () => {
    expectInvalidArguments("States.ArrayUnique('not-array')");
    expectInvalidArguments("States.ArrayUnique($.o)", { o: { a: 1 } });
  });
});
