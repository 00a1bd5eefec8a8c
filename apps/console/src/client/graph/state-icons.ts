/**
 * A small icon per state type, drawn at the left of each state so the type shows at a glance (and at
 * minimap-like zoom levels where labels are unreadable). SVG paths in a 14×14 box, so no font is needed.
 */
import { svg } from "../dom.ts";

export const ICON_SIZE = 14;

const ICONS: Record<string, string> = {
  // A cog-like square with a hole: work done by a worker.
  task: "M2,2 H12 V12 H2 Z M5,5 V9 H9 V5 Z",
  // An arrow straight through.
  pass: "M1,6 H9 V3 L13,7 L9,11 V8 H1 Z",
  // A clock.
  wait: "M7,0.5 A6.5,6.5 0 1 1 6.99,0.5 Z M6,3 V8 H10 V6.6 H7.4 V3 Z",
  // A diamond, as in flowcharts.
  choice: "M7,0 L14,7 L7,14 L0,7 Z",
  // A tick.
  succeed: "M1,7 L3,5 L6,8 L11,2 L13,4 L6,12 Z",
  // A cross.
  fail: "M2,0 L7,5 L12,0 L14,2 L9,7 L14,12 L12,14 L7,9 L2,14 L0,12 L5,7 L0,2 Z",
  // Branches side by side.
  parallel: "M1,1 H4 V13 H1 Z M5.5,1 H8.5 V13 H5.5 Z M10,1 H13 V13 H10 Z",
  // Items in a stack.
  map: "M1,1 H13 V4 H1 Z M1,5.5 H13 V8.5 H1 Z M1,10 H13 V13 H1 Z",
};

/** The icon for a state type with its top-left corner at (x, y); nothing for an unknown type. */
export function stateIcon(stateType: string | undefined, x: number, y: number): SVGPathElement | null {
  const type = (stateType ?? "").toLowerCase();
  const d = ICONS[type];
  return d === undefined
    ? null
    : svg("path", { class: `state-icon icon-${type}`, d, transform: `translate(${x},${y})`, "aria-hidden": "true" });
}
