/**
 * `#/map-runs/:arn`: a distributed Map's run: its status, dates and limits, its child executions counted
 * by status (read again every second while it runs), and the children listed by status in pages, each
 * linking to its own execution page.
 */
import type { MapRun } from "../api/api-types.ts";
import { childMachineOf, executionNameOf } from "../api/api-types.ts";
import { h, replaceChildren } from "../dom.ts";
import { executionDuration, formatDateTime } from "../format.ts";
import { routeHref } from "../router.ts";
import { errorBox, facts, loading, pageHeader, statusBadge } from "./components.ts";
import { type ExecutionsTable, executionsTable } from "./executions-table.ts";
import { mapRunProgress } from "./map-run-progress.ts";
import type { ViewContext } from "./view-context.ts";

/** How often a running Map Run's counts are read again: there is no stream of them. */
const POLL_MS = 1000;

/** Children per page: "Load more" reads the next. */
const CHILD_PAGE = 10;

/** The statuses a child execution can have. */
const CHILD_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

function limits(run: MapRun): Array<[string, string]> {
  return [
    ["Max concurrency", run.maxConcurrency === 0 ? "No limit" : String(run.maxConcurrency)],
    ["Tolerated failures", `${run.toleratedFailureCount} (count) · ${run.toleratedFailurePercentage}% (percentage)`],
  ];
}

function header(run: MapRun): HTMLElement {
  const parent = childMachineOf(run.stateMachineArn).machine;
  return h(
    "div",
    { class: "map-run-summary" },
    pageHeader(h("span", {}, `Map Run ${run.label} `, statusBadge(run.status)), run.mapRunArn),
    facts([
      ["Execution", h("a", { href: routeHref({ page: "execution", arn: run.executionArn }) }, executionNameOf(run.executionArn))],
      ["State machine", h("a", { href: routeHref({ page: "machine", name: parent }) }, parent)],
      ["Started", formatDateTime(run.startDate)],
      ["Stopped", run.stopDate === null ? "–" : formatDateTime(run.stopDate)],
      ["Duration", executionDuration(run.startDate, run.stopDate, Date.now())],
      ...limits(run),
      ...(run.redriveCount > 0 ? ([["Redrives", String(run.redriveCount)]] as Array<[string, string]>) : []),
    ]),
  );
}

export async function mapRunView(ctx: ViewContext, arn: string, initialStatus?: string): Promise<void> {
  replaceChildren(ctx.root, loading("Map Run"));
  let run: MapRun;
  try {
    run = await ctx.api.getMapRun(arn, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) return;
    replaceChildren(ctx.root, pageHeader("Map Run", arn), errorBox(ctx, error));
    return;
  }

  const summary = h("div", {}, header(run));
  const progress = mapRunProgress(run.counts);
  const problems = h("div");
  const results = h("div", { class: "results" });
  let status = initialStatus ?? "";
  let table: ExecutionsTable | undefined;
  const list = async (refresh: boolean) => {
    table = await executionsTable(ctx, results, { mapRun: arn, maxResults: CHILD_PAGE, ...(status ? { status } : {}) }, refresh);
  };
  const filter = h(
    "select",
    { "aria-label": "Filter children by status" },
    h("option", { value: "" }, "Any status"),
    ...CHILD_STATUSES.map((s) => h("option", { value: s, selected: s === status }, s.replace("_", " "))),
  );
  filter.addEventListener("change", () => {
    status = filter.value;
    // The fragment follows the filter (without a new history entry), so a reload keeps it.
    history.replaceState(null, "", routeHref({ page: "mapRun", arn, ...(status ? { status } : {}) }));
    void list(false);
  });

  replaceChildren(
    ctx.root,
    summary,
    problems,
    h("section", { class: "map-run-progress panel", "aria-label": "Progress" }, h("h2", {}, "Progress"), progress.element),
    h("h2", {}, "Child executions"),
    h("div", { class: "filters" }, filter),
    results,
  );
  await list(false);

  // Counts move while the run is under way; the listing follows them unless the user has paged further.
  while (run.status === "RUNNING" && !ctx.signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (ctx.signal.aborted) return;
    let next: MapRun;
    try {
      next = await ctx.api.getMapRun(arn, ctx.signal);
      replaceChildren(problems);
    } catch (error) {
      if (!ctx.signal.aborted) replaceChildren(problems, errorBox(ctx, error));
      continue;
    }
    const changed = JSON.stringify(next.counts) !== JSON.stringify(run.counts) || next.status !== run.status;
    run = next;
    replaceChildren(summary, header(run));
    progress.update(run.counts);
    if (changed && !table?.morePagesLoaded()) await list(true);
  }
}
