/** Reads the handler-run log the chaos workers append to (`<handler> <outcome> <task id> <pid>` per line). */
import { existsSync, readFileSync } from "node:fs";

export interface RunCounts {
  /** Runs per handler and outcome, e.g. `step ok`. */
  byHandler: Record<string, number>;
  /** Runs beyond the first of the same task attempt (at-least-once delivery re-running a handler). */
  reruns: number;
}

export function readRunLog(file: string): RunCounts {
  const byHandler: Record<string, number> = {};
  const perTask = new Map<string, number>();
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  for (const line of text.split("\n")) {
    const [handler, outcome, taskId] = line.split(" ");
    if (!handler || !outcome || !taskId) continue;
    byHandler[`${handler} ${outcome}`] = (byHandler[`${handler} ${outcome}`] ?? 0) + 1;
    perTask.set(taskId, (perTask.get(taskId) ?? 0) + 1);
  }
  let reruns = 0;
  for (const n of perTask.values()) reruns += n - 1;
  return { byHandler, reruns };
}
