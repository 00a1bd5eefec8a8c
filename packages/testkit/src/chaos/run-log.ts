/**
 * The handler-run log the chaos workers append to, one line per run:
 * `<handler> <outcome> <task id> <pid> <epoch ms> <execution ARN>`. A file, because Redis counters would
 * vanish with the Redis restarts the test causes; appends of one short line are atomic.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { HandlerRun } from "./handlers.ts";

export interface LoggedRun extends HandlerRun {
  pid: number;
  at: number;
}

export function appendRun(file: string, run: HandlerRun): void {
  appendFileSync(file, `${run.handler} ${run.outcome} ${run.taskId} ${process.pid} ${Date.now()} ${run.executionArn}\n`);
}

export function readRunLog(file: string): LoggedRun[] {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const runs: LoggedRun[] = [];
  for (const line of text.split("\n")) {
    const [handler, outcome, taskId, pid, at, executionArn] = line.split(" ");
    if (!handler || !taskId || !executionArn || (outcome !== "ok" && outcome !== "fail")) continue;
    runs.push({ handler, outcome, taskId, executionArn, pid: Number(pid), at: Number(at) });
  }
  return runs;
}

/** Runs grouped by task attempt, in the order they happened. */
export function runsByTask(runs: readonly LoggedRun[]): Map<string, LoggedRun[]> {
  const byTask = new Map<string, LoggedRun[]>();
  for (const run of runs) byTask.set(run.taskId, [...(byTask.get(run.taskId) ?? []), run]);
  for (const list of byTask.values()) list.sort((a, b) => a.at - b.at);
  return byTask;
}
