/**
 * Draws a laid-out graph as SVG: groups (Parallel, Map, branches) behind, then edges, then states on
 * top. States carry `data-state` so outcomes can colour them later without drawing again.
 */
import { svg } from "../dom.ts";
import type { GraphLayout, PlacedEdge, PlacedNode, Point } from "./graph-layout.ts";
import { shorten } from "./graph-layout.ts";
import { ICON_SIZE, stateIcon } from "./state-icons.ts";
import type { Outcome } from "./state-outcomes.ts";

export interface GraphView {
  element: SVGSVGElement;
  /** Colours every state by its outcome; states missing from the map were not reached. */
  showOutcomes(outcomes: ReadonlyMap<string, Exclude<Outcome, "notReached">>): void;
  select(stateName: string | undefined): void;
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Caught",
  running: "Running",
  aborted: "Stopped",
  notReached: "Not reached",
};

const GROUP_KINDS = new Set(["parallel", "map", "branch"]);
/** Text centred on its point, both ways. */
const CENTRED = { "text-anchor": "middle", "dominant-baseline": "central" };

function pathOf(points: Point[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
}

function markers(): SVGDefsElement {
  const arrow = (id: string) =>
    svg(
      "marker",
      { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      svg("path", { d: "M0,0 L10,5 L0,10 z", class: id }),
    );
  return svg("defs", {}, arrow("arrow"), arrow("arrow-catch"));
}

function edgeElement(edge: PlacedEdge): SVGGElement {
  const group = svg("g", { class: `edge edge-${edge.kind}` });
  group.append(svg("path", { d: pathOf(edge.points), "marker-end": `url(#${edge.kind === "catch" ? "arrow-catch" : "arrow"})` }));
  if (edge.label !== undefined && edge.labelBox) {
    const box = edge.labelBox;
    group.append(
      svg(
        "g",
        { class: "edge-label" },
        svg("title", {}, edge.fullLabel ?? edge.label),
        svg("rect", { x: box.x, y: box.y, width: box.width, height: box.height, rx: 3 }),
        svg("text", { x: box.x + box.width / 2, y: box.y + box.height / 2, ...CENTRED }, edge.label),
      ),
    );
  }
  return group;
}

function groupElement(node: PlacedNode): SVGGElement {
  const typeLabel = node.kind === "branch" ? "" : `${node.kind === "map" ? "Map" : "Parallel"} · `;
  const group = svg("g", {
    class: `group group-${node.kind}`,
    ...(node.stateName === undefined ? {} : { "data-state": node.stateName, tabindex: 0, role: "button" }),
  });
  group.append(
    svg("title", {}, node.stateName ?? node.label),
    svg("rect", { x: node.x, y: node.y, width: node.width, height: node.height, rx: node.kind === "branch" ? 6 : 10 }),
    stateIcon(node.stateType, node.x + 10, node.y + 20 - ICON_SIZE / 2) ?? "",
    svg(
      "text",
      { class: "group-label", x: node.x + (node.kind === "branch" ? 12 : 30), y: node.y + 20, "dominant-baseline": "central" },
      `${typeLabel}${node.label}`,
    ),
  );
  if (node.retry !== undefined) {
    group.append(
      svg(
        "text",
        { class: "retry", x: node.x + node.width - 12, y: node.y + 20 },
        svg("title", {}, `Retry: ${node.retry}`),
        `↻ ${shorten(node.retry, 30)}`,
      ),
    );
  }
  return group;
}

function stateElement(node: PlacedNode): SVGGElement {
  if (node.kind === "start" || node.kind === "end") {
    return svg(
      "g",
      { class: `terminal terminal-${node.kind}` },
      svg("rect", { x: node.x, y: node.y, width: node.width, height: node.height, rx: node.height / 2 }),
      svg("text", { x: node.x + node.width / 2, y: node.y + node.height / 2, ...CENTRED }, node.label),
    );
  }
  const group = svg("g", {
    class: `state state-${(node.stateType ?? "unknown").toLowerCase()}`,
    "data-state": node.stateName ?? node.label,
    tabindex: 0,
    role: "button",
  });
  const labelY = node.y + (node.retry === undefined ? node.height / 2 : 20);
  group.append(
    svg("title", {}, `${node.label} (${node.stateType ?? "?"})${node.retry === undefined ? "" : `\nRetry: ${node.retry}`}`),
    svg("rect", { x: node.x, y: node.y, width: node.width, height: node.height, rx: 8 }),
    stateIcon(node.stateType, node.x + 9, labelY - ICON_SIZE / 2) ?? "",
    // Centred in the room right of the icon.
    svg("text", { class: "state-label", x: node.x + (node.width + ICON_SIZE + 6) / 2, y: labelY, ...CENTRED }, node.label),
  );
  if (node.retry !== undefined) {
    group.append(
      svg("text", { class: "retry", x: node.x + node.width / 2, y: node.y + node.height - 11, ...CENTRED }, `↻ ${shorten(node.retry, 30)}`),
    );
  }
  return group;
}

export function renderGraph(layout: GraphLayout, onSelect?: (stateName: string) => void): GraphView {
  const element = svg("svg", {
    class: "graph",
    viewBox: `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`,
    width: Math.ceil(layout.width),
    height: Math.ceil(layout.height),
    role: "group",
    "aria-label": "State machine graph",
  });
  element.append(markers());
  const groups = layout.nodes.filter((n) => GROUP_KINDS.has(n.kind)).sort((a, b) => a.depth - b.depth);
  for (const node of groups) element.append(groupElement(node));
  for (const edge of layout.edges) element.append(edgeElement(edge));
  for (const node of layout.nodes) if (!GROUP_KINDS.has(node.kind)) element.append(stateElement(node));

  const stateElements = () => [...element.querySelectorAll<SVGGElement>("[data-state]")];
  if (onSelect) {
    element.addEventListener("click", (event) => {
      const target = (event.target as Element).closest("[data-state]");
      if (target) onSelect(target.getAttribute("data-state")!);
    });
    element.addEventListener("keydown", (event) => {
      const target = (event.target as Element).closest("[data-state]");
      if (target && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        onSelect(target.getAttribute("data-state")!);
      }
    });
  }
  return {
    element,
    showOutcomes: (outcomes) => {
      for (const state of stateElements()) {
        const outcome = outcomes.get(state.getAttribute("data-state")!) ?? "notReached";
        state.setAttribute("data-outcome", outcome);
      }
    },
    select: (stateName) => {
      for (const state of stateElements()) state.classList.toggle("selected", state.getAttribute("data-state") === stateName);
    },
  };
}
