/** An execution's full history as a table that grows as events arrive. */
import type { HistoryEvent } from "../../../../../packages/asl/src/history-events.ts";
import { h } from "../dom.ts";
import { formatDuration } from "../format.ts";

const DETAIL_KEYS = (event: HistoryEvent) => Object.keys(event).filter((k) => k.endsWith("EventDetails")) as Array<keyof HistoryEvent>;

/** One line saying what the event carries: an error, a name, an iteration. */
function summary(event: HistoryEvent): string {
  for (const key of DETAIL_KEYS(event)) {
    const details = event[key] as Record<string, unknown>;
    if (typeof details.error === "string") return `${details.error}${typeof details.cause === "string" ? `: ${details.cause}` : ""}`;
    if (typeof details.index === "number") return `iteration ${details.index}`;
    if (typeof details.resource === "string") return details.resource;
  }
  return "";
}

function isFailure(type: string): boolean {
  return /Failed|TimedOut|Aborted/.test(type);
}

export interface HistoryTable {
  element: HTMLElement;
  append(events: HistoryEvent[], stateOfEvent: ReadonlyMap<number, string>): void;
}

export function historyTable(): HistoryTable {
  const tbody = h("tbody");
  const count = h("span", { class: "count" }, "0 events");
  let startedAt: number | undefined;
  const element = h(
    "section",
    { class: "history" },
    h("h2", {}, "History ", count),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "list history-table" },
        h(
          "thead",
          {},
          h("tr", {}, h("th", {}, "ID"), h("th", {}, "Type"), h("th", {}, "State"), h("th", {}, "Elapsed"), h("th", {}, "Details")),
        ),
        tbody,
      ),
    ),
  );
  return {
    element,
    append: (events, stateOfEvent) => {
      for (const event of events) {
        startedAt ??= Date.parse(event.timestamp);
        const detailKeys = DETAIL_KEYS(event);
        const text = summary(event);
        tbody.append(
          h(
            "tr",
            { class: isFailure(event.type) ? "failure" : undefined, "data-event-type": event.type },
            h("td", { "data-label": "ID" }, event.id),
            h("td", { "data-label": "Type" }, event.type),
            h("td", { "data-label": "State" }, stateOfEvent.get(event.id) ?? event.stateEnteredEventDetails?.name ?? ""),
            h("td", { "data-label": "Elapsed", title: event.timestamp }, formatDuration(Date.parse(event.timestamp) - startedAt)),
            h(
              "td",
              { "data-label": "Details" },
              detailKeys.length === 0
                ? text
                : h(
                    "details",
                    {},
                    h("summary", {}, text || "details"),
                    h("pre", { class: "json" }, JSON.stringify(Object.fromEntries(detailKeys.map((k) => [k, event[k]])), null, 2)),
                  ),
            ),
          ),
        );
      }
      count.textContent = `${tbody.children.length} events`;
    },
  };
}
