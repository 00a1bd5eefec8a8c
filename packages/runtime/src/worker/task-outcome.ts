import type { Json, Trigger } from "@stepwise/asl";
import { lambdaInvokeResult } from "../resource-map.ts";
import { jsonHoldsNul, textHoldsNul } from "../unstorable-text.ts";
import { TaskFailure } from "./task-handler.ts";

/**
 * A handler's return value as the task's result: JSON only (undefined reads as null, as from Lambda).
 * For lambda:invoke it is wrapped in Lambda's response, even when the function returned nothing.
 */
export function resultTrigger(taskId: string, returned: unknown, lambdaInvoke = false): Trigger {
  const value = lambdaInvoke ? lambdaInvokeResult((returned ?? null) as Json) : returned;
  if (value === undefined) return { type: "taskSucceeded", taskId, output: null };
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    return runtimeFailure(taskId, `The task handler returned a value that is not JSON: ${(e as Error).message}`);
  }
  if (text === undefined) return runtimeFailure(taskId, `The task handler returned a value that is not JSON (${typeof value})`);
  const output = JSON.parse(text) as Json;
  // Stored, it would fail every write of the outcome, and the attempt be retried for ever.
  if (jsonHoldsNul(output, text)) {
    return runtimeFailure(taskId, "The task handler returned a value containing the character U+0000, which cannot be stored");
  }
  return { type: "taskSucceeded", taskId, output };
}

/** A handler's exception as the task's error, named like a Lambda function error. */
export function errorTrigger(taskId: string, error: unknown): Trigger {
  const [name, cause] =
    error instanceof TaskFailure
      ? [error.error, error.causeText ?? null]
      : error instanceof Error
        ? [error.name || "Error", error.message]
        : ["Error", String(error)];
  if (textHoldsNul(name) || textHoldsNul(cause)) {
    return runtimeFailure(taskId, "The task handler failed with an error containing the character U+0000, which cannot be stored");
  }
  return { type: "taskFailed", taskId, error: name, cause };
}

function runtimeFailure(taskId: string, cause: string): Trigger {
  return { type: "taskFailed", taskId, error: "States.Runtime", cause };
}
