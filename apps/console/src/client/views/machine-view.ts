/** `#/machines/:name`: a machine's details, its graph, its executions, starting a new one, and deleting it. */
import type { StateMachine } from "../api/api-types.ts";
import { h, replaceChildren } from "../dom.ts";
import { formatDateTime } from "../format.ts";
import { routeHref } from "../router.ts";
import { errorBox, facts, loading, pageHeader } from "./components.ts";
import { deleteMachineControl } from "./delete-machine.ts";
import { executionFilters } from "./execution-filters.ts";
import { executionsTable } from "./executions-table.ts";
import { graphPanel } from "./graph-panel.ts";
import { startForm } from "./start-form.ts";
import type { ViewContext } from "./view-context.ts";

export async function machineView(ctx: ViewContext, name: string): Promise<void> {
  replaceChildren(ctx.root, loading(`state machine ${name}`));
  let machine: StateMachine;
  try {
    machine = await ctx.api.getStateMachine(name);
  } catch (error) {
    replaceChildren(ctx.root, pageHeader(name), errorBox(ctx, error));
    return;
  }
  const startSlot = h("div");
  const openStart = () => {
    replaceChildren(
      startSlot,
      startForm(ctx, name, () => replaceChildren(startSlot)),
    );
    startSlot.querySelector("textarea")?.focus();
  };
  const results = h("div", { class: "results" });
  replaceChildren(
    ctx.root,
    pageHeader(
      machine.name,
      machine.stateMachineArn,
      h("button", { type: "button", class: "primary", onclick: openStart }, "Start execution"),
      h("a", { class: "button", href: routeHref({ page: "editor", name }) }, "Edit definition"),
      deleteMachineControl(ctx, name),
    ),
    startSlot,
    facts([
      ["Type", machine.type],
      ["Status", machine.status],
      ["Created", formatDateTime(machine.creationDate)],
      ["Updated", formatDateTime(machine.updateDate)],
      ["Role", machine.roleArn],
      ...(machine.description ? ([["Description", machine.description]] as Array<[string, string]>) : []),
    ]),
    graphPanel(machine.definition).element,
    h("h2", {}, "Executions"),
    executionFilters({}, (values) => executionsTable(ctx, results, { machine: name, ...values })),
    results,
  );
  await executionsTable(ctx, results, { machine: name });
}
