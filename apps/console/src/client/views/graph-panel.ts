/**
 * A state machine's graph in a box of its own size, laid out once and coloured as often as needed:
 * drag to pan, wheel or pinch to zoom (around the pointer), keys and buttons for both, Fit shows the whole
 * graph whatever its size, and a minimap shows where the view is in a large graph.
 */
import { h } from "../dom.ts";
import { layoutGraph } from "../graph/graph-layout.ts";
import { buildGraph } from "../graph/graph-model.ts";
import { type GraphView, OUTCOME_LABELS, renderGraph } from "../graph/graph-svg.ts";
import { canvasMeasure } from "../graph/measure-text.ts";
import { minimap } from "../graph/minimap.ts";
import type { Outcome } from "../graph/state-outcomes.ts";
import { centreOn, fitView, initialView, panBy, type View, visibleRect, zoomAt } from "../graph/viewport.ts";

export interface GraphPanel {
  element: HTMLElement;
  /** The drawn graph, once laid out; undefined when layout failed (the panel says why). */
  ready: Promise<GraphView | undefined>;
}

/** A pointer that moves less than this between down and up clicked (selects a state) rather than dragged. */
const DRAG_THRESHOLD = 4;
const KEY_PAN = 60;

export function outcomeLegend(): HTMLElement {
  const outcomes: Outcome[] = ["succeeded", "failed", "caught", "running", "aborted", "notReached"];
  return h(
    "ul",
    { class: "legend", "aria-label": "Legend" },
    ...outcomes.map((o) => h("li", {}, h("span", { class: `swatch outcome-${o}` }), OUTCOME_LABELS[o])),
  );
}

export function graphPanel(definition: unknown, options: { onSelect?: (stateName: string) => void; legend?: boolean } = {}): GraphPanel {
  const viewport = h(
    "div",
    {
      class: "graph-viewport",
      tabindex: 0,
      role: "region",
      "aria-label": "Graph: drag or arrow keys to pan, wheel or + and − to zoom, 0 to fit",
    },
    h("p", { class: "loading" }, "Laying out the graph…"),
  );
  let view: View = { x: 0, y: 0, scale: 1 };
  let natural = { width: 0, height: 0 };
  let drawn: SVGSVGElement | undefined;
  let showFrame: ((rect: ReturnType<typeof visibleRect>) => void) | undefined;
  const box = () => ({ width: viewport.clientWidth, height: viewport.clientHeight });
  const apply = (next: View) => {
    view = next;
    if (!drawn) return;
    const rect = visibleRect(view, box());
    drawn.setAttribute("viewBox", `${rect.x} ${rect.y} ${rect.width} ${rect.height}`);
    drawn.dataset.scale = view.scale.toFixed(4);
    showFrame?.(rect);
  };
  const centre = () => ({ x: viewport.clientWidth / 2, y: viewport.clientHeight / 2 });
  const zoom = (factor: number) => apply(zoomAt(view, factor, centre()));
  const fit = () => apply(fitView(natural, box()));

  // Pointer: one pointer drags the graph, two pinch it.
  const pointers = new Map<number, { x: number; y: number }>();
  let moved = 0;
  viewport.addEventListener("pointerdown", (event) => {
    if (!drawn || event.button !== 0) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    moved = 0;
  });
  viewport.addEventListener("pointermove", (event) => {
    const last = pointers.get(event.pointerId);
    if (!last) return;
    const dx = event.clientX - last.x;
    const dy = event.clientY - last.y;
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const other = a === last ? b! : a!;
      const before = Math.hypot(last.x - other.x, last.y - other.y);
      const after = Math.hypot(event.clientX - other.x, event.clientY - other.y);
      const bounds = viewport.getBoundingClientRect();
      if (before > 0) apply(zoomAt(view, after / before, { x: other.x - bounds.left, y: other.y - bounds.top }));
    } else {
      moved += Math.abs(dx) + Math.abs(dy);
      if (moved >= DRAG_THRESHOLD) {
        if (!viewport.hasPointerCapture(event.pointerId)) viewport.setPointerCapture(event.pointerId);
        viewport.classList.add("panning");
        apply(panBy(view, dx, dy));
      }
    }
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
  });
  const release = (event: PointerEvent) => {
    pointers.delete(event.pointerId);
    viewport.classList.remove("panning");
  };
  viewport.addEventListener("pointerup", release);
  viewport.addEventListener("pointercancel", release);
  // A drag that ends over a state is not a click on it.
  viewport.addEventListener(
    "click",
    (event) => {
      if (moved >= DRAG_THRESHOLD) event.stopPropagation();
    },
    true,
  );
  viewport.addEventListener(
    "wheel",
    (event) => {
      if (!drawn) return;
      event.preventDefault();
      const bounds = viewport.getBoundingClientRect();
      // Pinch on a touchpad arrives as a wheel with ctrlKey and small deltas.
      const factor = Math.exp(-event.deltaY * (event.ctrlKey ? 0.01 : 0.002));
      apply(zoomAt(view, factor, { x: event.clientX - bounds.left, y: event.clientY - bounds.top }));
    },
    { passive: false },
  );
  viewport.addEventListener("keydown", (event) => {
    if (event.target !== viewport) return;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [KEY_PAN, 0],
      ArrowRight: [-KEY_PAN, 0],
      ArrowUp: [0, KEY_PAN],
      ArrowDown: [0, -KEY_PAN],
    };
    const move = moves[event.key];
    if (move) apply(panBy(view, move[0], move[1]));
    else if (event.key === "+" || event.key === "=") zoom(1.25);
    else if (event.key === "-") zoom(1 / 1.25);
    else if (event.key === "0") fit();
    else return;
    event.preventDefault();
  });

  const toolbar = h(
    "div",
    { class: "graph-toolbar" },
    options.legend ? outcomeLegend() : null,
    h(
      "div",
      { class: "zoom" },
      h("button", { type: "button", title: "Zoom out", "aria-label": "Zoom out", onclick: () => zoom(1 / 1.25) }, "−"),
      h("button", { type: "button", title: "Zoom in", "aria-label": "Zoom in", onclick: () => zoom(1.25) }, "+"),
      h("button", { type: "button", title: "Fit the whole graph in the box", onclick: fit }, "Fit"),
    ),
  );
  const element = h("section", { class: "graph-panel" }, toolbar, viewport);
  const ready = layoutGraph(buildGraph(definition), canvasMeasure()).then(
    (layout) => {
      const graph = renderGraph(layout, options.onSelect);
      drawn = graph.element;
      drawn.setAttribute("width", "100%");
      drawn.setAttribute("height", "100%");
      natural = { width: layout.width, height: layout.height };
      const map = minimap(layout, (point) => apply(centreOn(view, point, box())));
      showFrame = map.showFrame;
      viewport.replaceChildren(drawn, map.element);
      // Once the box has its size.
      requestAnimationFrame(() => apply(initialView(natural, box())));
      return graph;
    },
    (error: unknown) => {
      viewport.replaceChildren(
        h(
          "p",
          { class: "notice notice-error" },
          `The graph could not be laid out: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return undefined;
    },
  );
  return { element, ready };
}
