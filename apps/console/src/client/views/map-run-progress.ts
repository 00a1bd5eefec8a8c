/**
 * A Map Run's child executions counted by status: a bar split in proportion (SVG, whose presentation
 * attributes the page's CSP allows where a style attribute would be refused) and the numbers.
 */
import type { MapRunCounts } from "../api/api-types.ts";
import { h, replaceChildren, svg } from "../dom.ts";

/** In the bar's order: what is over first, then what is under way, then what waits. */
const PARTS: ReadonlyArray<{ key: keyof MapRunCounts; label: string; status: string }> = [
  { key: "succeeded", label: "Succeeded", status: "succeeded" },
  { key: "failed", label: "Failed", status: "failed" },
  { key: "timedOut", label: "Timed out", status: "timed_out" },
  { key: "aborted", label: "Aborted", status: "aborted" },
  { key: "running", label: "Running", status: "running" },
  { key: "pending", label: "Pending", status: "pending" },
];

export interface MapRunProgress {
  element: HTMLElement;
  update(counts: MapRunCounts): void;
}

function bar(counts: MapRunCounts): SVGSVGElement {
  const total = Math.max(counts.total, 1);
  let x = 0;
  const segments = PARTS.flatMap(({ key, status }) => {
    const width = (counts[key] / total) * 100;
    const at = x;
    x += width;
    return width > 0 ? [svg("rect", { class: `segment segment-${status}`, x: at, y: 0, width, height: 10 })] : [];
  });
  return svg(
    "svg",
    { class: "progress-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none", "aria-hidden": "true" },
    svg("rect", { class: "segment segment-track", x: 0, y: 0, width: 100, height: 10 }),
    ...segments,
  );
}

function numbers(counts: MapRunCounts): HTMLElement {
  return h(
    "dl",
    { class: "counts" },
    ...[...PARTS, { key: "total" as const, label: "Total", status: "total" }].map(({ key, label, status }) =>
      h("div", { class: `count count-${status}` }, h("dt", {}, label), h("dd", { "data-count": key }, String(counts[key]))),
    ),
  );
}

export function mapRunProgress(initial: MapRunCounts): MapRunProgress {
  const element = h("div", { class: "map-run-counts", "aria-live": "polite" });
  const update = (counts: MapRunCounts) => {
    const done = counts.succeeded + counts.failed + counts.timedOut + counts.aborted;
    replaceChildren(element, bar(counts), h("p", { class: "muted" }, `${done} of ${counts.total} done`), numbers(counts));
  };
  update(initial);
  return { element, update };
}
