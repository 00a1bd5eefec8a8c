/** `#/executions`: every execution of every machine, newest first, filtered by status and name. */
import { h, replaceChildren } from "../dom.ts";
import { routeHref } from "../router.ts";
import { pageHeader } from "./components.ts";
import { type ExecutionFilterValues, executionFilters } from "./execution-filters.ts";
import { executionsTable } from "./executions-table.ts";
import type { ViewContext } from "./view-context.ts";

export async function executionsView(ctx: ViewContext, initial: ExecutionFilterValues): Promise<void> {
  const results = h("div", { class: "results" });
  const show = (values: ExecutionFilterValues) => {
    // The fragment follows the filters (without a new history entry), so a reload keeps them.
    history.replaceState(null, "", routeHref({ page: "executions", ...values }));
    return executionsTable(ctx, results, values);
  };
  replaceChildren(ctx.root, pageHeader("Executions", "All state machines, newest first"), executionFilters(initial, show), results);
  await executionsTable(ctx, results, initial);
}
