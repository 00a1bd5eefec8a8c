/**
 * The whole graph in miniature (states and groups as plain boxes) with a frame around the part in view;
 * clicking or dragging on it moves the view there.
 */
import { svg } from "../dom.ts";
import type { GraphLayout } from "./graph-layout.ts";

export interface Minimap {
  element: SVGSVGElement;
  /** Moves the frame to the rectangle in view (graph units). */
  showFrame(rect: { x: number; y: number; width: number; height: number }): void;
}

export function minimap(layout: GraphLayout, onPick: (point: { x: number; y: number }) => void): Minimap {
  const element = svg("svg", {
    class: "minimap",
    viewBox: `0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}`,
    preserveAspectRatio: "xMidYMid meet",
    role: "img",
    "aria-label": "Minimap of the whole graph; click to move the view there",
  });
  for (const node of layout.nodes) {
    element.append(
      svg("rect", {
        class: `minimap-node minimap-${node.kind} ${node.stateType ? `minimap-${node.stateType.toLowerCase()}` : ""}`,
        x: node.x,
        y: node.y,
        width: node.width,
        height: node.height,
      }),
    );
  }
  const frame = svg("rect", { class: "minimap-frame", x: 0, y: 0, width: 0, height: 0 });
  element.append(frame);

  const pick = (event: PointerEvent) => {
    const matrix = element.getScreenCTM();
    if (!matrix) return;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    onPick({ x: point.x, y: point.y });
  };
  element.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    element.setPointerCapture(event.pointerId);
    pick(event);
  });
  element.addEventListener("pointermove", (event) => {
    if (element.hasPointerCapture(event.pointerId)) pick(event);
  });
  return {
    element,
    showFrame: (rect) => {
      frame.setAttribute("x", String(rect.x));
      frame.setAttribute("y", String(rect.y));
      frame.setAttribute("width", String(rect.width));
      frame.setAttribute("height", String(rect.height));
    },
  };
}
