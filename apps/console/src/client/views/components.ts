/** Small pieces every page uses: headers, status badges, error boxes, labelled values, JSON blocks. */
import { ApiError, describeError } from "../api/api-client.ts";
import type { ExecutionStatus } from "../api/api-types.ts";
import { type Child, h } from "../dom.ts";
import type { ViewContext } from "./view-context.ts";

export function pageHeader(title: Child, subtitle?: Child, ...actions: Child[]): HTMLElement {
  return h(
    "header",
    { class: "page-header" },
    h("div", { class: "page-title" }, h("h1", {}, title), subtitle ? h("p", { class: "subtitle" }, subtitle) : null),
    actions.length > 0 ? h("div", { class: "actions" }, ...actions) : null,
  );
}

export function statusBadge(status: ExecutionStatus | string): HTMLElement {
  return h("span", { class: `badge status-${status.toLowerCase()}` }, status.replace("_", " "));
}

export function errorBox(ctx: ViewContext, error: unknown): HTMLElement {
  const unauthorised = error instanceof ApiError && error.status === 401;
  return h(
    "div",
    { class: "notice notice-error", role: "alert" },
    h("span", {}, describeError(error)),
    unauthorised ? h("button", { type: "button", class: "link-button", onclick: () => ctx.askForToken() }, "Set API token") : null,
  );
}

export function loading(what: string): HTMLElement {
  return h("p", { class: "loading" }, `Loading ${what}…`);
}

/** A definition list of labelled values, two columns on wide screens. */
export function facts(entries: Array<[string, Child]>): HTMLElement {
  return h("dl", { class: "facts" }, ...entries.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value)]));
}

export function jsonBlock(value: unknown): HTMLElement {
  return h("pre", { class: "json" }, typeof value === "string" ? value : JSON.stringify(value, null, 2));
}
