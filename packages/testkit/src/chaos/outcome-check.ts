/**
 * Judges one chaos execution against what its input dictates:
 * - lost: never started, or still RUNNING when the test stopped waiting;
 * - duplicated: more than one terminal event, or a malformed history (a gap, a duplicate id, an event
 *   out of order, a transition or task outcome applied twice);
 * - wrong: another status, output or error than its input dictates, or task outcomes that do not match
 *   the handler runs (an outcome no handler run produced).
 */
import type { HistoryEvent } from "@stepwise/asl";
import type { ExecutionRecord } from "@stepwise/storage";
import { TERMINAL_EVENTS } from "../history-shape.ts";
import type { PlannedExecution } from "./execution-plan.ts";
import { historyProblem } from "./history-check.ts";
import type { LoggedRun } from "./run-log.ts";
import { type WorkloadKind, workloadKinds } from "./workload.ts";

export type Judgement = { verdict: "ok" } | { verdict: "lost" | "duplicated" | "wrong"; reason: string };

const OUTCOME_EVENTS: ReadonlySet<string> = new Set(["TaskSucceeded", "TaskFailed", "LambdaFunctionSucceeded", "LambdaFunctionFailed"]);
const TERMINAL_EVENT_OF = { SUCCEEDED: "ExecutionSucceeded", FAILED: "ExecutionFailed" } as const;

export function judge(
  planned: PlannedExecution,
  execution: ExecutionRecord | undefined,
  history: readonly HistoryEvent[],
  runs: readonly LoggedRun[],
): Judgement {
  if (!execution) return { verdict: "lost", reason: "never started" };
  const tail = () => history.slice(-4).map((e) => `${e.id}:${e.type}`);
  if (execution.status === "RUNNING") return { verdict: "lost", reason: `still RUNNING after ${tail().join(", ")}` };
  const expected = (workloadKinds[planned.kind] as WorkloadKind).expect(planned.input);
  const terminals = history.filter((e) => TERMINAL_EVENTS.has(e.type)).length;
  if (terminals !== 1) return { verdict: "duplicated", reason: `${terminals} terminal events` };
  if (execution.status !== expected.status)
    return {
      verdict: "wrong",
      reason: `${execution.status} ${execution.error ?? ""}, expected ${expected.status} ${expected.error ?? ""}`,
    };
  const malformed = historyProblem(history, { ...expected, terminal: TERMINAL_EVENT_OF[expected.status] });
  if (malformed) return { verdict: "duplicated", reason: malformed };
  if (expected.error !== undefined && execution.error !== expected.error)
    return { verdict: "wrong", reason: `error ${execution.error}, expected ${expected.error}` };
  const outputProblem = expected.checkOutput?.(JSON.parse(execution.output ?? "null"));
  if (outputProblem) return { verdict: "wrong", reason: outputProblem };
  // Every recorded outcome came from a handler run (a callback's from the run that handed its token on),
  // and no handler ran for an attempt that was never scheduled.
  const attempts = new Set(runs.map((r) => r.taskId)).size;
  const outcomes = history.filter((e) => OUTCOME_EVENTS.has(e.type)).length;
  const scheduled = history.filter((e) => e.type === "TaskScheduled" || e.type === "LambdaFunctionScheduled").length;
  if (attempts < outcomes || attempts > scheduled)
    return { verdict: "wrong", reason: `${attempts} task attempts ran, for ${outcomes} outcomes of ${scheduled} scheduled` };
  return { verdict: "ok" };
}
