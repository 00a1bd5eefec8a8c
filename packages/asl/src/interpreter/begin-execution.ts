import type { HistoryEvent } from "../history-events.ts";
import type { CompiledMachine } from "./compiled-machine.ts";
import type { ExecutionInfo, StepEnvironment } from "./execution-info.ts";
import { ROOT_THREAD_ID, type ThreadPosition } from "./position.ts";

/**
 * The first event of an execution and its root thread, about to enter `StartAt`. Written together,
 * in one transaction, by whoever starts the execution; the first `advance` follows.
 */
export function beginExecution(
  machine: CompiledMachine,
  execution: ExecutionInfo,
  env: Pick<StepEnvironment, "now">,
  startedThrough: { versionArn?: string; aliasArn?: string } = {},
): { event: HistoryEvent; position: ThreadPosition } {
  const timestamp = env.now.toISOString();
  const event: HistoryEvent = {
    id: 1,
    previousEventId: 0,
    timestamp,
    type: "ExecutionStarted",
    executionStartedEventDetails: {
      input: JSON.stringify(execution.input),
      inputDetails: { truncated: false },
      roleArn: execution.roleArn,
      stateMachineArn: execution.stateMachineArn,
      ...(startedThrough.aliasArn ? { stateMachineAliasArn: startedThrough.aliasArn } : {}),
      ...(startedThrough.versionArn ? { stateMachineVersionArn: startedThrough.versionArn } : {}),
    },
  };
  const position: ThreadPosition = {
    threadId: ROOT_THREAD_ID,
    scope: [],
    phase: "enter",
    stateName: machine.definition.StartAt,
    stateInput: execution.input,
    enteredEventId: 0,
    enteredTime: timestamp,
    lastEventId: 1,
    retryCounts: [],
    variables: {},
  };
  return { event, position };
}
