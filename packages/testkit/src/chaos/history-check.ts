/**
 * A chaos run's history check: the shape every history must have (testing/history-shape.ts), then the
 * terminal event and task outcomes the execution's input dictates.
 */
import type { HistoryEvent, HistoryEventType } from "@stepwise/asl";
import { historyShapeProblem } from "../history-shape.ts";
import type { Range } from "./workload.ts";

const inRange = (n: number, [min, max]: Range) => n >= min && n <= max;

/** The first thing wrong with `history`, or undefined when it is well formed. */
export function historyProblem(
  history: readonly HistoryEvent[],
  expected: { terminal: HistoryEventType; taskSucceeded: Range; taskFailed: Range },
): string | undefined {
  const shape = historyShapeProblem(history);
  if (shape) return shape;
  const last = history[history.length - 1] as HistoryEvent;
  if (last.type !== expected.terminal) return `ends with ${last.type}, expected ${expected.terminal}`;
  // A Lambda function ARN's attempts are LambdaFunction* events, a service integration's Task* ones.
  const count = (...types: HistoryEventType[]) => history.filter((e) => types.includes(e.type)).length;
  const succeeded = count("TaskSucceeded", "LambdaFunctionSucceeded");
  const failed = count("TaskFailed", "LambdaFunctionFailed");
  if (!inRange(succeeded, expected.taskSucceeded)) return `${succeeded} task successes, expected ${expected.taskSucceeded.join("..")}`;
  if (!inRange(failed, expected.taskFailed)) return `${failed} task failures, expected ${expected.taskFailed.join("..")}`;
  return undefined;
}
