import type { Json, Trigger } from "@stepwise/asl";
import { TaskFailure } from "./task-handler.ts";

/** A handler's return value as the task's result: JSON only (undefined reads as null, as from Lambda). */
export function resultTrigger(taskId: string, value: unknown): Trigger {
  if (value === undefined) return { type: "taskSucceeded", taskId, output: null };
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    return {
      type: "taskFailed",
      taskId,
      error: "States.Runtime",
      cause: `The task handler returned a value that is not JSON: ${(e as Error).message}`,
    };
  }
  if (text === undefined) {
    return {
      type: "taskFailed",
      taskId,
      error: "States.Runtime",
      cause: `The task handler returned a value that is not JSON (${typeof value})`,
    };
  }
  return { type: "taskSucceeded", taskId, output: JSON.parse(text) as Json };
}

/** A handler's exception as the task's error, named like a Lambda function error. */
export function errorTrigger(taskId: string, error: unknown): Trigger {
  if (error instanceof TaskFailure) return { type: "taskFailed", taskId, error: error.error, cause: error.causeText ?? null };
  if (error instanceof Error) return { type: "taskFailed", taskId, error: error.name || "Error", cause: error.message };
  return { type: "taskFailed", taskId, error: "Error", cause: String(error) };
}
