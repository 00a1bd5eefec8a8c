import type { Json, Trigger } from "@stepwise/asl";
import { TaskFailure } from "./task-handler.ts";

/**
 * Postgres text and jsonb cannot hold U+0000. A result or error carrying one would fail every write of
 * the task's outcome, and the attempt would be retried and re-queued for ever; it fails the task instead.
 */
const NUL = "\u0000";

/** A handler's return value as the task's result: JSON only (undefined reads as null, as from Lambda). */
export function resultTrigger(taskId: string, value: unknown): Trigger {
  if (value === undefined) return { type: "taskSucceeded", taskId, output: null };
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    return runtimeFailure(taskId, `The task handler returned a value that is not JSON: ${(e as Error).message}`);
  }
  if (text === undefined) return runtimeFailure(taskId, `The task handler returned a value that is not JSON (${typeof value})`);
  const output = JSON.parse(text) as Json;
  // JSON writes U+0000 as the escape \u0000, so a result without that text has none (the walk is rare).
  if (text.includes("\\u0000") && holdsNul(output)) {
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
  if (name.includes(NUL) || cause?.includes(NUL)) {
    return runtimeFailure(taskId, "The task handler failed with an error containing the character U+0000, which cannot be stored");
  }
  return { type: "taskFailed", taskId, error: name, cause };
}

function runtimeFailure(taskId: string, cause: string): Trigger {
  return { type: "taskFailed", taskId, error: "States.Runtime", cause };
}

function holdsNul(value: Json): boolean {
  const pending: Json[] = [value];
  while (pending.length > 0) {
    const next = pending.pop() as Json;
    if (typeof next === "string") {
      if (next.includes(NUL)) return true;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (next !== null && typeof next === "object") {
      for (const [key, item] of Object.entries(next)) {
        if (key.includes(NUL)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}
