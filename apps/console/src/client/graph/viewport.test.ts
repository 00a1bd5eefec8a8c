import { describe, expect, it } from "vitest";
import { centreOn, fitView, initialView, MIN_SCALE, panBy, READABLE_SCALE, visibleRect, zoomAt } from "./viewport.ts";

const box = { width: 800, height: 600 };

describe("the graph's viewport", () => {
  it("fits a small graph at 1:1, centred", () => {
    const view = fitView({ width: 400, height: 200 }, box);
    expect(view.scale).toBe(1);
    const rect = visibleRect(view, box);
    expect(rect.x + rect.width / 2).toBe(200);
    expect(rect.y + rect.height / 2).toBe(100);
  });

  it("fits a graph of any size: a 200-state machine 12,000 units tall is shown whole", () => {
    const graph = { width: 900, height: 12_000 };
    const view = fitView(graph, box);
    const rect = visibleRect(view, box);
    expect(view.scale).toBeLessThan(0.05);
    expect(rect.x).toBeLessThanOrEqual(0);
    expect(rect.y).toBeLessThanOrEqual(0);
    expect(rect.x + rect.width).toBeGreaterThanOrEqual(graph.width);
    expect(rect.y + rect.height).toBeGreaterThanOrEqual(graph.height);
  });

  it("zooms around the pointer: the graph point under it stays put", () => {
    const view = { x: 100, y: 50, scale: 0.5 };
    const at = { x: 300, y: 200 };
    const zoomed = zoomAt(view, 2, at);
    expect(zoomed.scale).toBe(1);
    expect(zoomed.x + at.x / zoomed.scale).toBeCloseTo(view.x + at.x / view.scale);
    expect(zoomed.y + at.y / zoomed.scale).toBeCloseTo(view.y + at.y / view.scale);
    expect(zoomAt(view, 1e-6, at).scale).toBe(MIN_SCALE);
  });

  it("pans with the pointer and centres on a point picked on the minimap", () => {
    const view = { x: 0, y: 0, scale: 2 };
    expect(panBy(view, 100, -40)).toEqual({ x: -50, y: 20, scale: 2 });
    const centred = centreOn(view, { x: 500, y: 700 }, box);
    const rect = visibleRect(centred, box);
    expect(rect.x + rect.width / 2).toBe(500);
    expect(rect.y + rect.height / 2).toBe(700);
  });

  it("first shows a large graph from its start at a readable scale, a small one whole", () => {
    expect(initialView({ width: 400, height: 200 }, box)).toEqual(fitView({ width: 400, height: 200 }, box));
    const large = initialView({ width: 900, height: 12_000 }, box);
    expect(large.scale).toBe(READABLE_SCALE);
    expect(large.y).toBe(0);
  });
});
