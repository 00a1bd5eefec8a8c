/** `#/machines`: every state machine, searchable by name. */
import type { StateMachineSummary } from "../api/api-types.ts";
import { debounce } from "../debounce.ts";
import { h, replaceChildren } from "../dom.ts";
import { formatDateTime } from "../format.ts";
import { routeHref } from "../router.ts";
import { errorBox, loading, pageHeader } from "./components.ts";
import type { ViewContext } from "./view-context.ts";

/** Pages of 1000 are fetched until the list ends or this many machines are loaded. */
const MAX_MACHINES = 10_000;

async function loadAll(ctx: ViewContext): Promise<StateMachineSummary[]> {
  const machines: StateMachineSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.api.listStateMachines(nextToken);
    machines.push(...page.stateMachines);
    nextToken = page.nextToken;
  } while (nextToken && machines.length < MAX_MACHINES && !ctx.signal.aborted);
  return machines;
}

function machineTable(machines: StateMachineSummary[]): HTMLElement {
  if (machines.length === 0) return h("p", { class: "empty" }, "No state machine matches.");
  return h(
    "table",
    { class: "list" },
    h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Type"), h("th", {}, "Status"), h("th", {}, "Created"))),
    h(
      "tbody",
      {},
      ...machines.map((m) =>
        h(
          "tr",
          {},
          h("td", { "data-label": "Name" }, h("a", { href: routeHref({ page: "machine", name: m.name }) }, m.name)),
          h("td", { "data-label": "Type" }, m.type),
          h("td", { "data-label": "Status" }, m.status),
          h("td", { "data-label": "Created" }, formatDateTime(m.creationDate)),
        ),
      ),
    ),
  );
}

export async function machinesView(ctx: ViewContext): Promise<void> {
  const search = h("input", {
    type: "search",
    placeholder: "Search by name",
    "aria-label": "Search state machines by name",
    class: "search",
  });
  const count = h("span", { class: "count" });
  const results = h("div", { class: "results" }, loading("state machines"));
  replaceChildren(
    ctx.root,
    pageHeader("State machines", null, h("a", { class: "button primary", href: routeHref({ page: "editor" }) }, "New state machine")),
    h("div", { class: "filters" }, search, count),
    results,
  );
  let machines: StateMachineSummary[];
  try {
    machines = await loadAll(ctx);
  } catch (error) {
    replaceChildren(results, errorBox(ctx, error));
    return;
  }
  const show = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = machines.filter((m) => m.name.toLowerCase().includes(needle));
    count.textContent = `${shown.length} of ${machines.length}`;
    replaceChildren(results, machineTable(shown));
  };
  search.addEventListener("input", debounce(120, show));
  show();
}
