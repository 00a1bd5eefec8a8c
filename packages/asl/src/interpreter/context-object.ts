import type { JsonObject } from "../json.ts";
import type { ExecutionInfo } from "./execution-info.ts";
import type { ThreadPosition } from "./position.ts";

/** The context object (`$$` / `$states.context`) for the current state of a thread. */
export function contextObject(
  execution: ExecutionInfo,
  position: ThreadPosition,
  extra?: { taskToken?: string; mapItem?: { index: number; value: JsonObject[string] } },
): JsonObject {
  const context: JsonObject = {
    Execution: {
      Id: execution.executionArn,
      Input: execution.input,
      Name: execution.executionName,
      RoleArn: execution.roleArn,
      StartTime: execution.startTime,
      RedriveCount: execution.redriveCount,
    },
    State: {
      EnteredTime: position.enteredTime,
      Name: position.stateName,
      RetryCount: position.retryCounts.reduce((a, b) => a + b, 0),
    },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName },
  };
  if (extra?.taskToken !== undefined) context.Task = { Token: extra.taskToken };
  const item = extra?.mapItem ?? position.mapItem;
  if (item) context.Map = { Item: { Index: item.index, Value: item.value } };
  return context;
}
