/** What happened in one state: each run's outcome, input, output, error and cause. */
import { h, replaceChildren } from "../dom.ts";
import { formatDateTime, prettyJson } from "../format.ts";
import { OUTCOME_LABELS } from "../graph/graph-svg.ts";
import type { ExecutionOutcomes, StateRun } from "../graph/state-outcomes.ts";

/** Map states can run thousands of times; the latest runs are the interesting ones. */
const MAX_RUNS = 20;

function payload(label: string, text: string | undefined, className = ""): HTMLElement | null {
  if (text === undefined) return null;
  return h("div", { class: `payload ${className}` }, h("h4", {}, label), h("pre", { class: "json" }, prettyJson(text)));
}

function runElement(run: StateRun, index: number, total: number): HTMLElement {
  return h(
    "article",
    { class: "run", "data-outcome": run.outcome },
    h(
      "header",
      {},
      h("span", { class: `badge outcome-${run.outcome}` }, OUTCOME_LABELS[run.outcome]),
      total > 1 ? h("span", {}, ` Run ${index + 1} of ${total}`) : null,
      h("span", { class: "muted" }, ` entered ${formatDateTime(run.enteredAt)} (event #${run.enteredEventId})`),
      run.retries > 0 ? h("span", { class: "muted" }, ` · retried ${run.retries}×`) : null,
      run.redriveCount > 0 ? h("span", { class: "muted" }, ` · after redrive ${run.redriveCount}`) : null,
    ),
    payload("Error", run.error, "error"),
    payload("Cause", run.cause, "error"),
    payload("Input", run.input),
    payload("Output", run.output),
  );
}

export interface StateDetails {
  element: HTMLElement;
  show(stateName: string | undefined, outcomes: ExecutionOutcomes): void;
}

export function stateDetails(): StateDetails {
  const element = h(
    "aside",
    { class: "state-details panel", "aria-live": "polite" },
    h("p", { class: "muted" }, "Select a state in the graph to see its input, output and errors."),
  );
  return {
    element,
    show: (stateName, outcomes) => {
      if (stateName === undefined) return;
      const runs = outcomes.runs.filter((r) => r.name === stateName);
      const shown = runs.slice(-MAX_RUNS);
      replaceChildren(
        element,
        h("h3", {}, stateName),
        runs.length === 0 ? h("p", { class: "muted" }, "This state was not reached.") : null,
        runs.length > shown.length ? h("p", { class: "muted" }, `Showing the last ${shown.length} of ${runs.length} runs.`) : null,
        ...shown.map((run, i) => runElement(run, runs.length - shown.length + i, runs.length)),
      );
    },
  };
}
