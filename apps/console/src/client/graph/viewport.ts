/**
 * The part of a drawn graph that is in view: a point of the graph at the box's top-left corner and a
 * scale, as an SVG viewBox. Pure arithmetic, so panning, zooming and fitting are tested without a browser.
 */

export interface Size {
  width: number;
  height: number;
}

export interface View {
  /** The graph coordinates shown at the box's top-left corner. */
  x: number;
  y: number;
  /** Screen pixels per graph unit. */
  scale: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 4;

function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** The whole graph, centred, at the largest scale that shows all of it (never above 1:1), however big. */
export function fitView(graph: Size, box: Size, margin = 16): View {
  if (graph.width <= 0 || graph.height <= 0 || box.width <= 0 || box.height <= 0) return { x: 0, y: 0, scale: 1 };
  const scale = clampScale(Math.min(1, (box.width - 2 * margin) / graph.width, (box.height - 2 * margin) / graph.height));
  return { x: graph.width / 2 - box.width / 2 / scale, y: graph.height / 2 - box.height / 2 / scale, scale };
}

/** Zooms by `factor`, keeping the graph point under `at` (box pixels) where it is. */
export function zoomAt(view: View, factor: number, at: { x: number; y: number }): View {
  const scale = clampScale(view.scale * factor);
  const graphX = view.x + at.x / view.scale;
  const graphY = view.y + at.y / view.scale;
  return { x: graphX - at.x / scale, y: graphY - at.y / scale, scale };
}

/** Moves the view by a drag of `dx`, `dy` box pixels (the graph follows the pointer). */
export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x - dx / view.scale, y: view.y - dy / view.scale };
}

/** Centres the view on a graph point (a click on the minimap). */
export function centreOn(view: View, point: { x: number; y: number }, box: Size): View {
  return { ...view, x: point.x - box.width / 2 / view.scale, y: point.y - box.height / 2 / view.scale };
}

/** The rectangle of the graph in view, in graph units: the SVG viewBox, and the minimap's frame. */
export function visibleRect(view: View, box: Size): { x: number; y: number; width: number; height: number } {
  return { x: view.x, y: view.y, width: box.width / view.scale, height: box.height / view.scale };
}

/** Below this scale labels are too small to read. */
export const READABLE_SCALE = 0.6;

/**
 * The first view of a graph: the whole of it when that is readable, else its top (where it starts),
 * centred across, at the smallest readable scale.
 */
export function initialView(graph: Size, box: Size): View {
  const fitted = fitView(graph, box);
  if (fitted.scale >= READABLE_SCALE) return fitted;
  const scale = READABLE_SCALE;
  return { x: graph.width / 2 - box.width / 2 / scale, y: 0, scale };
}
