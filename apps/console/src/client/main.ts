/** The console's entry point: the page frame, and the page the URL fragment names. */
import { ApiClient } from "./api/api-client.ts";
import { readToken } from "./api/token-store.ts";
import { h, replaceChildren } from "./dom.ts";
import { parseRoute, type Route, routeHref } from "./router.ts";
import { tokenForm } from "./token-form.ts";
import { pageHeader } from "./views/components.ts";
import { editorView } from "./views/editor-view.ts";
import { executionView } from "./views/execution-view.ts";
import { executionsView } from "./views/executions-view.ts";
import { machineView } from "./views/machine-view.ts";
import { machinesView } from "./views/machines-view.ts";
import { mapRunView } from "./views/map-run-view.ts";
import type { ViewContext } from "./views/view-context.ts";

const api = new ApiClient(readToken);
const root = h("main", { id: "view" });
let leave = new AbortController();

function navLink(label: string, route: Route, section: string): HTMLAnchorElement {
  return h("a", { href: routeHref(route), "data-section": section }, label);
}

const nav = h(
  "nav",
  { "aria-label": "Sections" },
  navLink("State machines", { page: "machines" }, "machines"),
  navLink("Executions", { page: "executions" }, "executions"),
);
const token = tokenForm(() => show());

function section(route: Route): string {
  return route.page === "executions" || route.page === "execution" || route.page === "mapRun" ? "executions" : "machines";
}

function render(ctx: ViewContext, route: Route): Promise<void> {
  switch (route.page) {
    case "machines":
      return machinesView(ctx);
    case "machine":
      return machineView(ctx, route.name);
    case "editor":
      return editorView(ctx, route.name);
    case "executions":
      return executionsView(ctx, { ...(route.status ? { status: route.status } : {}), ...(route.name ? { name: route.name } : {}) });
    case "execution":
      return executionView(ctx, route.arn);
    case "mapRun":
      return mapRunView(ctx, route.arn, route.status);
    case "notFound":
      replaceChildren(
        ctx.root,
        pageHeader("Not found"),
        h("p", {}, "No page here. ", h("a", { href: routeHref({ page: "machines" }) }, "Go to the state machines.")),
      );
      return Promise.resolve();
  }
}

function show(): void {
  leave.abort();
  leave = new AbortController();
  const route = parseRoute(location.hash);
  for (const link of nav.querySelectorAll("a")) {
    if (link.dataset.section === section(route)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const ctx: ViewContext = {
    api,
    root,
    signal: leave.signal,
    navigate: (next) => {
      location.hash = routeHref(next);
    },
    askForToken: () => token.open(),
  };
  window.scrollTo(0, 0);
  render(ctx, route).catch((error: unknown) => {
    if (ctx.signal.aborted) return;
    replaceChildren(
      root,
      h(
        "div",
        { class: "notice notice-error", role: "alert" },
        `Something went wrong: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  });
}

document.body.replaceChildren(
  h(
    "header",
    { class: "top" },
    h("a", { class: "brand", href: routeHref({ page: "machines" }) }, "Stepwise"),
    nav,
    h("div", { class: "token" }, token.button, token.panel),
  ),
  root,
);
window.addEventListener("hashchange", show);
show();
