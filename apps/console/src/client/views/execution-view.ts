/**
 * `#/executions/:arn`: an execution's graph coloured by what each state did, its history, and each
 * state's data on click; all of it follows the history stream while the execution runs, and again
 * from where it left off once a redrive makes it run again.
 */
import type { HistoryEvent } from "../../../../../packages/asl/src/history-events.ts";
import type { Execution } from "../api/api-types.ts";
import { followHistory } from "../api/history-stream.ts";
import { h, replaceChildren } from "../dom.ts";
import type { GraphView } from "../graph/graph-svg.ts";
import { type ExecutionOutcomes, executionOutcomes } from "../graph/state-outcomes.ts";
import { errorBox, loading, pageHeader } from "./components.ts";
import { executionSummary } from "./execution-summary.ts";
import { graphPanel } from "./graph-panel.ts";
import { historyTable } from "./history-table.ts";
import { mapRunsPanel } from "./map-runs-panel.ts";
import { stateDetails } from "./state-details.ts";
import type { ViewContext } from "./view-context.ts";

export async function executionView(ctx: ViewContext, arn: string): Promise<void> {
  replaceChildren(ctx.root, loading("execution"));
  let execution: Execution;
  try {
    execution = await ctx.api.getExecution(arn, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) return;
    replaceChildren(ctx.root, pageHeader("Execution", arn), errorBox(ctx, error));
    return;
  }

  const history: HistoryEvent[] = [];
  let shownEvents = 0;
  let outcomes: ExecutionOutcomes = executionOutcomes(history, execution.status);
  let selected: string | undefined;
  let view: GraphView | undefined;
  const streamProblems = h("div");
  const details = stateDetails();
  const table = historyTable();
  const mapRuns = mapRunsPanel(ctx, arn);

  const redraw = () => {
    outcomes = executionOutcomes(history, execution.status);
    view?.showOutcomes(outcomes.byState);
    details.show(selected, outcomes);
    table.append(history.slice(shownEvents), outcomes.stateOfEvent);
    shownEvents = history.length;
  };
  let pending = false;
  /** Events arrive in bursts; draw once per frame at most. */
  const scheduleRedraw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      redraw();
    });
  };
  const refreshExecution = async () => {
    try {
      execution = await ctx.api.getExecution(arn, ctx.signal);
      summary.update(execution);
      redraw();
    } catch (error) {
      if (!ctx.signal.aborted) replaceChildren(streamProblems, errorBox(ctx, error));
    }
  };

  let following = false;
  /**
   * Follows the history from the last event the page has until the execution closes. A redrive may
   * reopen it just as a stream ends, so the execution is read again then, and followed again if it runs.
   */
  const follow = async () => {
    if (following) return;
    following = true;
    try {
      for (;;) {
        let ended = false;
        await followHistory(
          ctx.api,
          arn,
          {
            events: (events) => {
              history.push(...events);
              scheduleRedraw();
              void mapRuns.refresh(events);
            },
            end: () => {
              ended = true;
            },
            error: (error) => replaceChildren(streamProblems, errorBox(ctx, error)),
          },
          ctx.signal,
          history.at(-1)?.id ?? 0,
        );
        if (!ended || ctx.signal.aborted) return;
        await refreshExecution();
        if (execution.status !== "RUNNING") return;
      }
    } finally {
      following = false;
    }
  };

  const summary = executionSummary(ctx, execution, {
    onStopped: () => void refreshExecution(),
    onRedriven: () => {
      replaceChildren(streamProblems);
      void refreshExecution().then(follow);
    },
  });
  const graph = graphPanel(execution.definition, {
    legend: true,
    onSelect: (stateName) => {
      selected = stateName;
      view?.select(stateName);
      details.show(stateName, outcomes);
    },
  });
  replaceChildren(
    ctx.root,
    summary.element,
    streamProblems,
    h("div", { class: "execution-graph" }, graph.element, details.element),
    mapRuns.element,
    table.element,
  );

  void graph.ready.then((drawn) => {
    view = drawn;
    view?.showOutcomes(outcomes.byState);
  });
  await follow();
}
