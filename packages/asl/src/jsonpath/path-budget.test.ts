import { describe, expect, it } from "vitest";
import { StatesError } from "../errors.ts";
import type { EvaluationScope } from "../evaluation-scope.ts";
import type { Json } from "../json.ts";
import { findPath, readPath } from "./path.ts";
import { DEFAULT_PATH_LIMITS, PathBudget } from "./path-budget.ts";
import { resolvePayloadTemplate } from "./payload-template.ts";

const scope: EvaluationScope = { context: {}, variables: {}, random: () => 0.5 };

/** `[[[…[1]…]]]`, `depth` arrays deep: the input of the report had 1,200 of them in 2.4 KB. */
function nested(depth: number): Json {
  let value: Json = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function failureOf(run: () => unknown): { error: string | null; cause: string; ms: number } {
  const started = performance.now();
  try {
    run();
  } catch (error) {
    if (error instanceof StatesError) return { error: error.error, cause: error.causeText ?? "", ms: performance.now() - started };
    throw error;
  }
  throw new Error("the path was evaluated");
}

describe("a path over hostile data fails its state with States.Runtime instead of freezing the process", () => {
  it("stops `$..*..*` over 1,200 nested arrays (it blocked a server for 72 s)", () => {
    const failure = failureOf(() => readPath("$..*..*", nested(1200), scope));
    expect(failure.error).toBe("States.Runtime");
    expect(failure.cause).toMatch(/^Invalid path '\$\.\.\*\.\.\*' : Path evaluation exceeded its budget: it (visits|selects) more than/);
    expect(failure.ms).toBeLessThan(2_000);
  });

  it("counts the bytes a match would serialise to, however cheap the walk is by reference", () => {
    // 300 levels: ~45,000 matches, few nodes visited, but each match a deep array (~4.5 MB of JSON each time).
    const limits = { ...DEFAULT_PATH_LIMITS, maxResultBytes: 1_000_000 };
    const budgeted: EvaluationScope = { ...scope, pathBudget: new PathBudget(limits) };
    expect(failureOf(() => readPath("$..*..*", nested(300), budgeted)).cause).toMatch(/selects more than 1000000 bytes/);
  });

  it("shares one budget across every path of a template", () => {
    const data = { items: Array.from({ length: 2_000 }, (_, i) => ({ id: i, tags: ["a", "b"] })) };
    const template = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}.$`, "$..id"]));
    const alone = resolvePayloadTemplate({ "one.$": "$..id" }, data, { ...scope, pathBudget: new PathBudget() }, () => null);
    expect((alone as { one: Json[] }).one).toHaveLength(2_000);
    const failure = failureOf(() => resolvePayloadTemplate(template, data, { ...scope, pathBudget: new PathBudget() }, () => null));
    expect(failure.error).toBe("States.Runtime");
    expect(failure.cause).toMatch(/exceeded its budget: it visits more than 1000000 nodes/);
  });

  it("bounds filters whose own paths walk the whole document for every node", () => {
    const data = { items: Array.from({ length: 3_000 }, (_, i) => ({ id: i, same: { deep: [1, 2, 3, { x: "y" }] } })) };
    expect(failureOf(() => readPath("$..[?(@.id == $..id)]", data, scope)).cause).toMatch(/visits more than 1000000 nodes/);
  });

  it("matches regular expression filters without backtracking", () => {
    const started = performance.now();
    expect(readPath("$[?(@ =~ /(a+)+/)]", { s: `${"a".repeat(40)}!` }, scope)).toEqual([]);
    expect(readPath("$[?(@ =~ /(?:a|.{0,1000})*b/)]", { s: "a".repeat(250_000) }, scope)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("turns data nested deeper than the stack into States.Runtime too", () => {
    const failure = failureOf(() => findPath("$..x", nested(200_000), scope));
    expect(failure.error).toBe("States.Runtime");
    expect(failure.cause).toBe("Invalid path '$..x' : Path evaluation exceeded its budget: the data is nested too deeply");
  });

  it("leaves ordinary paths over the largest inputs alone", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `item-${i}`, price: i % 97, tags: ["x"] }));
    expect(readPath("$..price", { items }, scope)).toHaveLength(10_000);
    expect(readPath("$.items[?(@.price > 50)].id", { items }, scope)).toHaveLength(4_738);
    expect(readPath("$..*", { items }, scope)).toHaveLength(50_001);
  });
});
