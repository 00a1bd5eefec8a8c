/** Text widths measured by the browser in the fonts styles.css gives graph labels. */
import type { MeasureText } from "./graph-layout.ts";
import { estimateText } from "./graph-layout.ts";

const FONTS = { node: "600 13px system-ui, sans-serif", small: "11px system-ui, sans-serif" } as const;

export function canvasMeasure(): MeasureText {
  const context = document.createElement("canvas").getContext("2d");
  if (!context) return estimateText;
  return (text, kind) => {
    context.font = FONTS[kind];
    return context.measureText(text).width;
  };
}
