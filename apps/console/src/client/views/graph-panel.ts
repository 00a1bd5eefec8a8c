/** A state machine's graph in a scrollable, zoomable box, laid out once and coloured as often as needed. */
import { h } from "../dom.ts";
import { layoutGraph } from "../graph/graph-layout.ts";
import { buildGraph } from "../graph/graph-model.ts";
import { type GraphView, OUTCOME_LABELS, renderGraph } from "../graph/graph-svg.ts";
import { canvasMeasure } from "../graph/measure-text.ts";
import type { Outcome } from "../graph/state-outcomes.ts";

export interface GraphPanel {
  element: HTMLElement;
  /** The drawn graph, once laid out; undefined when layout failed (the panel says why). */
  ready: Promise<GraphView | undefined>;
}

const MIN_SCALE = 0.3;
const MAX_SCALE = 2;
/** Fitting shrinks no further than this: below it, labels are too small to read, so the box scrolls. */
const MIN_FIT = 0.6;

export function outcomeLegend(): HTMLElement {
  const outcomes: Outcome[] = ["succeeded", "failed", "caught", "running", "aborted", "notReached"];
  return h(
    "ul",
    { class: "legend", "aria-label": "Legend" },
    ...outcomes.map((o) => h("li", {}, h("span", { class: `swatch outcome-${o}` }), OUTCOME_LABELS[o])),
  );
}

export function graphPanel(definition: unknown, options: { onSelect?: (stateName: string) => void; legend?: boolean } = {}): GraphPanel {
  const scroller = h("div", { class: "graph-scroll" }, h("p", { class: "loading" }, "Laying out the graph…"));
  let scale = 1;
  let natural = { width: 0, height: 0 };
  let drawn: SVGSVGElement | undefined;
  const apply = () => {
    if (!drawn) return;
    drawn.setAttribute("width", String(Math.round(natural.width * scale)));
    drawn.setAttribute("height", String(Math.round(natural.height * scale)));
  };
  const zoom = (factor: number) => {
    scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    apply();
  };
  /** The whole graph in the visible box, if that keeps it readable. */
  const fit = () => {
    const width = scroller.clientWidth - 16;
    // The box is at most 75vh high (styles.css); its current height depends on the current scale.
    const height = window.innerHeight * 0.75 - 16;
    if (width <= 0 || natural.width === 0) return;
    scale = Math.max(MIN_FIT, Math.min(1, width / natural.width, height / natural.height));
    apply();
  };
  const toolbar = h(
    "div",
    { class: "graph-toolbar" },
    options.legend ? outcomeLegend() : null,
    h(
      "div",
      { class: "zoom" },
      h("button", { type: "button", title: "Zoom out", "aria-label": "Zoom out", onclick: () => zoom(1 / 1.25) }, "−"),
      h("button", { type: "button", title: "Zoom in", "aria-label": "Zoom in", onclick: () => zoom(1.25) }, "+"),
      h("button", { type: "button", title: "Fit the graph in the box", onclick: fit }, "Fit"),
    ),
  );
  const element = h("section", { class: "graph-panel" }, toolbar, scroller);
  const ready = layoutGraph(buildGraph(definition), canvasMeasure()).then(
    (layout) => {
      const view = renderGraph(layout, options.onSelect);
      drawn = view.element;
      natural = { width: layout.width, height: layout.height };
      scroller.replaceChildren(view.element);
      requestAnimationFrame(fit);
      return view;
    },
    (error: unknown) => {
      scroller.replaceChildren(
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
