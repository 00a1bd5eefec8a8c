/**
 * The Map Runs an execution's distributed Map states started, each linking to its page. Read again when
 * the history says one started or ended; empty (and not shown) for an execution that has none.
 */
import type { HistoryEvent } from "../../../../../packages/asl/src/history-events.ts";
import type { MapRunSummary } from "../api/api-types.ts";
import { h, replaceChildren } from "../dom.ts";
import { formatDateTime } from "../format.ts";
import { routeHref } from "../router.ts";
import { errorBox, statusBadge } from "./components.ts";
import type { ViewContext } from "./view-context.ts";

export interface MapRunsPanel {
  element: HTMLElement;
  /** Reads the runs again when any of `events` starts, redrives or ends one (all of them when omitted). */
  refresh(events?: readonly HistoryEvent[]): Promise<void>;
}

const MAP_RUN_EVENT = /^MapRun/;

function row(run: MapRunSummary): HTMLTableRowElement {
  return h(
    "tr",
    { "data-map-run": run.label },
    h("td", { "data-label": "Map Run" }, h("a", { href: routeHref({ page: "mapRun", arn: run.mapRunArn }) }, run.label)),
    h("td", { "data-label": "Status" }, statusBadge(run.status)),
    h("td", { "data-label": "Started" }, formatDateTime(run.startDate)),
    h("td", { "data-label": "Stopped" }, run.stopDate === null ? "–" : formatDateTime(run.stopDate)),
  );
}

export function mapRunsPanel(ctx: ViewContext, executionArn: string): MapRunsPanel {
  const element = h("section", { class: "map-runs", "aria-label": "Map Runs" });
  let asked = 0;
  const refresh = async (events?: readonly HistoryEvent[]) => {
    if (events !== undefined && !events.some((e) => MAP_RUN_EVENT.test(e.type))) return;
    // Only the latest reading is shown: an earlier one may answer last.
    const reading = ++asked;
    let runs: MapRunSummary[];
    try {
      runs = await ctx.api.listMapRuns(executionArn, ctx.signal);
    } catch (error) {
      if (!ctx.signal.aborted && reading === asked) replaceChildren(element, errorBox(ctx, error));
      return;
    }
    if (reading !== asked) return;
    if (runs.length === 0) {
      replaceChildren(element);
      return;
    }
    replaceChildren(
      element,
      h("h2", {}, "Map Runs"),
      h(
        "table",
        { class: "list map-runs-table" },
        h("thead", {}, h("tr", {}, h("th", {}, "Map Run"), h("th", {}, "Status"), h("th", {}, "Started"), h("th", {}, "Stopped"))),
        h("tbody", {}, ...runs.map(row)),
      ),
    );
  };
  return { element, refresh };
}
