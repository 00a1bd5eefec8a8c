/**
 * The chaos workload's task handlers. Each run is reported to `record` before the handler decides its
 * outcome, so a run cut short by SIGKILL still counts. What a handler returns or throws depends only on
 * its input, never on chance, so an execution's input dictates how it must end.
 */
import type { Json } from "@stepwise/asl";
import { TaskFailure, type TaskHandler } from "@stepwise/runtime";

export interface HandlerRun {
  handler: string;
  outcome: "ok" | "fail";
  taskId: string;
  executionArn: string;
}

/** A step's data: a counter every step adds one to, and the worker pids that did it. */
type Step = { [key: string]: Json } & { n: number; pids?: number[] };

const advance = async (value: Step): Promise<Step> => {
  await new Promise((r) => setTimeout(r, 40));
  return { ...value, n: value.n + 1, pids: [...(value.pids ?? []), process.pid] };
};

export function chaosHandlers(
  record: (run: HandlerRun) => void,
  handCallback: (token: string, verdict: string) => void,
): Record<string, TaskHandler> {
  const run = (handler: string, outcome: HandlerRun["outcome"], context: { taskId: string; executionArn: string }) =>
    record({ handler, outcome, taskId: context.taskId, executionArn: context.executionArn });
  return {
    step: async (input, context) => {
      run("step", "ok", context);
      return advance(input as Step);
    },
    // Fails `failures` times in a row ($$.State.RetryCount tells it which attempt this is), for Retry.
    flaky: async (input, context) => {
      const { state, retry } = input as { state: Step & { failures: number }; retry: number };
      if (retry < state.failures) {
        run("flaky", "fail", context);
        throw new TaskFailure("Transient", `failure ${retry + 1} of ${state.failures}`);
      }
      run("flaky", "ok", context);
      return advance(state);
    },
    // "catch" throws an error the machine catches, "fail" one it does not.
    judge: async (input, context) => {
      const value = input as Step & { verdict: string };
      if (value.verdict === "pass") {
        run("judge", "ok", context);
        return advance(value);
      }
      run("judge", "fail", context);
      throw value.verdict === "catch" ? new TaskFailure("Boom", "caught by the machine") : new TaskFailure("Fatal", "not caught");
    },
    // `.waitForTaskToken`: hands the token on; the chaos client answers it with SendTaskSuccess/Failure.
    notify: async (input, context) => {
      const { token, verdict } = input as { token: string; verdict: string };
      run("notify", "ok", context);
      handCallback(token, verdict);
      return { sent: true };
    },
  };
}
