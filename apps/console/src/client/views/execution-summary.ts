/**
 * The top of an execution's page: status, times, input and output, stopping it while it runs, and
 * redriving it once it has failed, timed out or been stopped.
 */
import { describeError } from "../api/api-client.ts";
import { childMachineOf, type Execution, type ExecutionStatus, executionNameOf } from "../api/api-types.ts";
import { h, replaceChildren } from "../dom.ts";
import { executionDuration, formatDateTime } from "../format.ts";
import { routeHref } from "../router.ts";
import { facts, jsonBlock, pageHeader, statusBadge } from "./components.ts";
import type { ViewContext } from "./view-context.ts";

export interface ExecutionSummaryView {
  element: HTMLElement;
  update(execution: Execution): void;
}

export interface ExecutionActions {
  onStopped(): void;
  /** The API accepted the redrive; the execution runs again. */
  onRedriven(): void;
}

/** What RedriveExecution accepts; the API refuses Express machines' executions with its own message. */
const REDRIVABLE: ReadonlySet<ExecutionStatus> = new Set(["FAILED", "TIMED_OUT", "ABORTED"]);

function stopControl(ctx: ViewContext, execution: Execution, onStopped: () => void): HTMLElement {
  const slot = h("span", { class: "stop-control" });
  const ask = () =>
    replaceChildren(
      slot,
      h("span", { class: "confirm-text" }, "Stop this execution?"),
      h("button", { type: "button", class: "danger", onclick: stop }, "Confirm stop"),
      h("button", { type: "button", onclick: idle }, "Cancel"),
    );
  const idle = () => replaceChildren(slot, h("button", { type: "button", class: "danger", onclick: ask }, "Stop execution"));
  async function stop(event: Event) {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    try {
      await ctx.api.stopExecution(execution.executionArn);
      onStopped();
    } catch (error) {
      replaceChildren(slot, h("span", { class: "notice notice-error" }, describeError(error)));
    }
  }
  idle();
  return slot;
}

/** Redriving is not destructive (it only runs what did not finish), so it needs no confirmation. */
function redriveControl(ctx: ViewContext, execution: Execution, onRedriven: () => void): HTMLElement {
  const slot = h("span", { class: "redrive-control" });
  async function redrive(event: Event) {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    button.textContent = "Redriving…";
    try {
      await ctx.api.redriveExecution(execution.executionArn);
      onRedriven();
    } catch (error) {
      replaceChildren(
        slot,
        h("span", { class: "notice notice-error", role: "alert" }, `Could not redrive: ${describeError(error)}`),
        h("button", { type: "button", class: "primary", onclick: redrive }, "Redrive"),
      );
    }
  }
  replaceChildren(
    slot,
    h(
      "button",
      { type: "button", class: "primary", title: "Run the execution again from the state where it stopped", onclick: redrive },
      "Redrive",
    ),
  );
  return slot;
}

/** A Map Run's child: the way back to its Map Run and to the execution that started it. */
function childOf(execution: Execution): Array<[string, HTMLElement]> {
  if (!execution.mapRunArn || !execution.parentExecutionArn) return [];
  const redrive = REDRIVABLE.has(execution.status)
    ? h("span", { class: "muted" }, " · runs again when its parent execution is redriven")
    : null;
  return [
    [
      "Map Run",
      h(
        "a",
        { href: routeHref({ page: "mapRun", arn: execution.mapRunArn }) },
        childMachineOf(execution.stateMachineArn).label ?? "Map Run",
      ),
    ],
    [
      "Parent execution",
      h(
        "span",
        {},
        h(
          "a",
          { href: routeHref({ page: "execution", arn: execution.parentExecutionArn }) },
          executionNameOf(execution.parentExecutionArn),
        ),
        redrive,
      ),
    ],
  ];
}

export function executionSummary(ctx: ViewContext, initial: Execution, actions: ExecutionActions): ExecutionSummaryView {
  const element = h("div", { class: "execution-summary" });
  let timer: ReturnType<typeof setInterval> | undefined;
  ctx.signal.addEventListener("abort", () => clearInterval(timer));
  const update = (execution: Execution) => {
    clearInterval(timer);
    const { machine, label } = childMachineOf(execution.stateMachineArn);
    const duration = h("span", {}, executionDuration(execution.startDate, execution.stopDate, Date.now()));
    if (execution.status === "RUNNING") {
      timer = setInterval(() => {
        duration.textContent = executionDuration(execution.startDate, execution.stopDate, Date.now());
      }, 1000);
    }
    replaceChildren(
      element,
      pageHeader(
        h("span", {}, execution.name, " ", statusBadge(execution.status)),
        execution.executionArn,
        execution.status === "RUNNING" ? stopControl(ctx, execution, actions.onStopped) : null,
        // A Map Run's children run again when their parent is redriven (as in AWS), not one by one.
        REDRIVABLE.has(execution.status) && !execution.mapRunArn ? redriveControl(ctx, execution, actions.onRedriven) : null,
      ),
      facts([
        [
          "State machine",
          h("span", {}, h("a", { href: routeHref({ page: "machine", name: machine }) }, machine), label ? ` / ${label}` : ""),
        ],
        ...childOf(execution),
        ["Started", formatDateTime(execution.startDate)],
        ["Stopped", execution.stopDate === null ? "–" : formatDateTime(execution.stopDate)],
        ["Duration", duration],
        ...(execution.redriveCount > 0 ? ([["Redrives", String(execution.redriveCount)]] as Array<[string, string]>) : []),
      ]),
      h(
        "div",
        { class: "payloads" },
        h("div", { class: "payload" }, h("h4", {}, "Input"), jsonBlock(execution.input)),
        execution.status === "SUCCEEDED" ? h("div", { class: "payload" }, h("h4", {}, "Output"), jsonBlock(execution.output)) : null,
        execution.error !== null ? h("div", { class: "payload error" }, h("h4", {}, "Error"), jsonBlock(execution.error)) : null,
        execution.cause !== null ? h("div", { class: "payload error" }, h("h4", {}, "Cause"), jsonBlock(execution.cause)) : null,
      ),
    );
  };
  update(initial);
  return { element, update };
}
