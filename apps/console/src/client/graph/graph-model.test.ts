import { describe, expect, it } from "vitest";
import { buildGraph, END_ID, type GraphEdge, type GraphNode, START_ID } from "./graph-model.ts";

const edgeSummary = (edges: GraphEdge[]) => edges.map((e) => [e.source, e.target, e.kind, e.label ?? null]);

describe("buildGraph", () => {
  it("draws Start, the states and End with Next, Choice, Default and Catch edges", () => {
    const graph = buildGraph({
      StartAt: "Pick",
      States: {
        Pick: {
          Type: "Choice",
          Choices: [{ Variable: "$.x", NumericEquals: 3, Next: "Work" }],
          Default: "Done",
        },
        Work: {
          Type: "Task",
          Resource: "arn:aws:lambda:us-east-1:123456789012:function:w",
          Retry: [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ["States.ALL", "Custom"], Next: "Oops" }],
          Next: "Done",
        },
        Oops: { Type: "Fail", Error: "E" },
        Done: { Type: "Succeed" },
      },
    });
    expect(graph.root.children.map((n) => n.id)).toEqual([START_ID, "Pick", "Work", "Oops", "Done", END_ID]);
    expect(edgeSummary(graph.root.edges)).toEqual([
      [START_ID, "Pick", "start", null],
      ["Pick", "Work", "choice", "$.x == 3"],
      ["Pick", "Done", "default", "Default"],
      ["Work", "Done", "next", null],
      ["Work", "Oops", "catch", "catch States.ALL, Custom"],
      ["Oops", END_ID, "end", null],
      ["Done", END_ID, "end", null],
    ]);
    expect(graph.root.children.find((n) => n.id === "Work")?.retry).toBe("States.Timeout ×2");
    expect(new Set(graph.root.edges.map((e) => e.id)).size).toBe(graph.root.edges.length);
  });

  it("nests Parallel branches and Map item processors as groups with their own edges", () => {
    const graph = buildGraph({
      StartAt: "Fan",
      States: {
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } },
            {
              StartAt: "Each",
              States: { Each: { Type: "Map", ItemProcessor: { StartAt: "C", States: { C: { Type: "Pass", End: true } } }, End: true } },
            },
          ],
          End: true,
        },
      },
    });
    const fan = graph.root.children.find((n) => n.id === "Fan") as GraphNode;
    expect(fan.kind).toBe("parallel");
    expect(fan.children.map((b) => [b.id, b.kind, b.label])).toEqual([
      ["Fan/0", "branch", "Branch 1"],
      ["Fan/1", "branch", "Branch 2"],
    ]);
    expect(edgeSummary(fan.children[0]!.edges)).toEqual([["Fan/0/A", "Fan/0/B", "next", null]]);
    const each = fan.children[1]!.children[0]!;
    expect([each.id, each.kind]).toEqual(["Fan/1/Each", "map"]);
    expect(each.children.map((n) => n.id)).toEqual(["Fan/1/Each/C"]);
    expect(graph.statesByName.get("C")).toEqual(["Fan/1/Each/C"]);
  });

  it("leaves out what a broken definition does not say, without throwing", () => {
    for (const input of [null, 42, "text", [], {}, { States: [] }, { StartAt: "X", States: { X: null } }]) {
      expect(() => buildGraph(input)).not.toThrow();
    }
    const graph = buildGraph({ StartAt: "A", States: { A: { Type: "Pass", Next: "Missing" }, B: { Type: "Parallel", Branches: "no" } } });
    expect(edgeSummary(graph.root.edges)).toEqual([[START_ID, "A", "start", null]]);
  });

  it("keeps ids distinct when state names contain the separator", () => {
    const graph = buildGraph({
      StartAt: "P",
      States: {
        P: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }], Next: "P/0/A" },
        "P/0/A": { Type: "Pass", End: true },
      },
    });
    const ids = [...graph.statesByName.values()].flat();
    expect(new Set(ids).size).toBe(ids.length);
  });
});
