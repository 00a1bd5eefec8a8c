/**
 * Deleting a state machine from its page, after a confirmation. A machine with running executions is
 * DELETING until they end (as in AWS): the page says so; one without goes at once, back to the list.
 */
import { describeError } from "../api/api-client.ts";
import { h, replaceChildren } from "../dom.ts";
import type { ViewContext } from "./view-context.ts";

export function deleteMachineControl(ctx: ViewContext, name: string): HTMLElement {
  const slot = h("span", { class: "delete-control" });
  const idle = () => replaceChildren(slot, h("button", { type: "button", class: "danger", onclick: ask }, "Delete"));
  const ask = () =>
    replaceChildren(
      slot,
      h("span", { class: "confirm-text" }, `Delete ${name}? Its executions can no longer be started.`),
      h("button", { type: "button", class: "danger", onclick: remove }, "Confirm delete"),
      h("button", { type: "button", onclick: idle }, "Cancel"),
    );
  async function remove(event: Event) {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    try {
      const deleted = await ctx.api.deleteStateMachine(name);
      if (deleted.status === "DELETED") {
        ctx.navigate({ page: "machines" });
        return;
      }
      replaceChildren(
        slot,
        h("span", { class: "notice notice-warning", role: "status" }, "DELETING: it goes once its running executions have ended."),
      );
    } catch (error) {
      replaceChildren(slot, h("span", { class: "notice notice-error", role: "alert" }, `Could not delete: ${describeError(error)}`));
    }
  }
  idle();
  return slot;
}
