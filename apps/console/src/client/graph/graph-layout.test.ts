import { describe, expect, it } from "vitest";
import { layoutGraph, type PlacedNode } from "./graph-layout.ts";
import { buildGraph } from "./graph-model.ts";

const inside = (inner: PlacedNode, outer: PlacedNode) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

describe("layoutGraph", () => {
  it("places nested states inside their groups and routes every edge, in root coordinates", async () => {
    const model = buildGraph({
      StartAt: "Check",
      States: {
        Check: { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: 1, Next: "Fan" }], Default: "Done" },
        Fan: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } },
            {
              StartAt: "Each",
              States: { Each: { Type: "Map", ItemProcessor: { StartAt: "C", States: { C: { Type: "Pass", End: true } } }, End: true } },
            },
          ],
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }],
          Next: "Done",
        },
        Done: { Type: "Succeed" },
      },
    });
    const layout = await layoutGraph(model);
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(layout.nodes).toHaveLength(11);
    expect(inside(byId.get("Fan/0/A")!, byId.get("Fan/0")!)).toBe(true);
    expect(inside(byId.get("Fan/0")!, byId.get("Fan")!)).toBe(true);
    expect(inside(byId.get("Fan/1/Each/C")!, byId.get("Fan/1/Each")!)).toBe(true);
    expect(byId.get("Fan/1/Each/C")!.depth).toBe(3);
    expect(layout.edges).toHaveLength(model.root.edges.length + 1);
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    const choice = layout.edges.find((e) => e.kind === "choice")!;
    expect(choice.label).toBe("$.n > 1");
    expect(choice.labelBox!.width).toBeGreaterThan(0);
    for (const node of layout.nodes) {
      expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
      expect(node.y + node.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it("shortens long labels but keeps the full text", async () => {
    const long = "x".repeat(60);
    const layout = await layoutGraph(
      buildGraph({
        StartAt: "C",
        States: {
          C: { Type: "Choice", Choices: [{ Variable: `$.${long}`, IsPresent: true, Next: "D" }], Default: "D" },
          D: { Type: "Succeed" },
        },
      }),
    );
    const edge = layout.edges.find((e) => e.kind === "choice")!;
    expect(edge.label!.length).toBeLessThanOrEqual(34);
    expect(edge.fullLabel).toBe(`$.${long} is present`);
  });
});
