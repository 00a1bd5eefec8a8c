/**
 * Postgres text and jsonb cannot hold U+0000. Values from outside (a handler's result or error, a task
 * callback) are checked before they reach a transition, so they are refused or fail their task by name
 * rather than failing every write of the transition.
 */
import type { Json } from "@stepwise/asl";

const NUL = "\u0000";

export function textHoldsNul(text: string | null | undefined): boolean {
  return text?.includes(NUL) === true;
}

/** Whether a JSON value holds U+0000 in any string or key. `serialized`, its JSON text, if known, makes the common answer cheap. */
export function jsonHoldsNul(value: Json, serialized?: string): boolean {
  // JSON writes U+0000 as the escape \u0000: a text without it has none, and only the rare one is walked.
  if (serialized !== undefined && !serialized.includes("\\u0000")) return false;
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
