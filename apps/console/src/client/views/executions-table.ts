/** A page of executions with their status, start time and duration; "Load more" fetches the next page. */
import type { ExecutionFilter } from "../api/api-client.ts";
import { type ExecutionSummary, machineNameOf } from "../api/api-types.ts";
import { h, replaceChildren } from "../dom.ts";
import { executionDuration, formatDateTime } from "../format.ts";
import { routeHref } from "../router.ts";
import { errorBox, loading, statusBadge } from "./components.ts";
import type { ViewContext } from "./view-context.ts";

function row(e: ExecutionSummary, showMachine: boolean, now: number): HTMLTableRowElement {
  const machine = machineNameOf(e.stateMachineArn);
  return h(
    "tr",
    { "data-execution": e.name },
    h("td", { "data-label": "Name" }, h("a", { href: routeHref({ page: "execution", arn: e.executionArn }) }, e.name)),
    showMachine
      ? h("td", { "data-label": "State machine" }, h("a", { href: routeHref({ page: "machine", name: machine }) }, machine))
      : null,
    h("td", { "data-label": "Status" }, statusBadge(e.status)),
    h("td", { "data-label": "Started" }, formatDateTime(e.startDate)),
    h("td", { "data-label": "Duration" }, executionDuration(e.startDate, e.stopDate, now)),
  );
}

export interface ExecutionsTable {
  /** Whether the user asked for more than the first page (a reload would lose those rows). */
  morePagesLoaded(): boolean;
}

/** The latest listing asked for each element: an older one that answers late must not replace it. */
const latestListing = new WeakMap<HTMLElement, number>();

/**
 * Fills `into` with the executions `filter` selects. A machine's listing has no name filter in the API,
 * so there the name is matched here, page by page.
 */
export async function executionsTable(
  ctx: ViewContext,
  into: HTMLElement,
  filter: ExecutionFilter,
  /** A live refresh: what is shown stays until the new rows are there, so nothing flickers. */
  refresh = false,
): Promise<ExecutionsTable> {
  const listing = (latestListing.get(into) ?? 0) + 1;
  latestListing.set(into, listing);
  const superseded = () => latestListing.get(into) !== listing || ctx.signal.aborted;
  let pages = 0;
  const handle: ExecutionsTable = { morePagesLoaded: () => pages > 1 };
  const showMachine = filter.machine === undefined && filter.mapRun === undefined;
  const needle = filter.machine !== undefined && filter.name ? filter.name.toLowerCase() : undefined;
  const tbody = h("tbody");
  const more = h("div", { class: "more" });
  const table = h(
    "table",
    { class: "list executions" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {}, "Name"),
        showMachine ? h("th", {}, "State machine") : null,
        h("th", {}, "Status"),
        h("th", {}, "Started"),
        h("th", {}, "Duration"),
      ),
    ),
    tbody,
  );
  if (!refresh) replaceChildren(into, loading("executions"));
  const loadPage = async (nextToken?: string) => {
    const page = await ctx.api.listExecutions({ ...filter, ...(nextToken ? { nextToken } : {}) });
    if (superseded()) return;
    pages += 1;
    const now = Date.now();
    const shown = needle === undefined ? page.executions : page.executions.filter((e) => e.name.toLowerCase().includes(needle));
    tbody.append(...shown.map((e) => row(e, showMachine, now)));
    replaceChildren(
      more,
      page.nextToken
        ? h(
            "button",
            {
              type: "button",
              onclick: async (event: Event) => {
                (event.currentTarget as HTMLButtonElement).disabled = true;
                try {
                  await loadPage(page.nextToken);
                } catch (error) {
                  replaceChildren(more, errorBox(ctx, error));
                }
              },
            },
            "Load more",
          )
        : null,
    );
    if (tbody.children.length === 0 && !page.nextToken) replaceChildren(into, h("p", { class: "empty" }, "No executions match."));
    else if (!table.isConnected) replaceChildren(into, table, more);
  };
  try {
    await loadPage();
  } catch (error) {
    if (!superseded()) replaceChildren(into, errorBox(ctx, error));
  }
  return handle;
}
