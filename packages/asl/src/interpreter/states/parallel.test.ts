import { describe, expect, it } from "vitest";
import type { ParallelState, StateMachineDefinition, StatesBlock } from "../../definition.ts";
import { runExecution } from "../../runner/run-execution.ts";
import { eventsOf, typesOf } from "./test-support.ts";

const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work";

function parallelMachine(
  parallel: Partial<ParallelState> & { Branches: StatesBlock[] },
  extra: StateMachineDefinition["States"] = {},
): StateMachineDefinition {
  return { StartAt: "Par", States: { Par: { Type: "Parallel", End: true, ...parallel }, ...extra } };
}

const slow = (seconds: number, result: string): StatesBlock => ({
  StartAt: "Wait",
  States: { Wait: { Type: "Wait", Seconds: seconds, Next: "Done" }, Done: { Type: "Pass", Result: result, End: true } },
});

describe("Parallel state", () => {
  it("outputs the branch results in branch order, whatever order they finish in", async () => {
    const result = await runExecution(parallelMachine({ Branches: [slow(30, "first"), slow(1, "second"), slow(10, "third")] }));
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual(["first", "second", "third"]);
    const finished = eventsOf(result, "PassStateExited").map((e) => JSON.parse(e.stateExitedEventDetails?.output ?? "null"));
    expect(finished).toEqual(["second", "third", "first"]);
  });

  it("gives every branch the same effective input (InputPath, Parameters)", async () => {
    const echo: StatesBlock = { StartAt: "E", States: { E: { Type: "Pass", End: true } } };
    const result = await runExecution(
      parallelMachine({ InputPath: "$.in", Parameters: { "v.$": "$.v", "ctx.$": "$$.State.Name" }, Branches: [echo, echo] }),
      {
        input: { in: { v: 1 }, out: 2 },
      },
    );
    expect(result.output).toEqual([
      { v: 1, ctx: "Par" },
      { v: 1, ctx: "Par" },
    ]);
  });

  it("applies ResultSelector and ResultPath to the array of results", async () => {
    const result = await runExecution(
      parallelMachine({ Branches: [slow(0, "a"), slow(0, "b")], ResultSelector: { "second.$": "$[1]" }, ResultPath: "$.par" }),
      { input: { keep: true } },
    );
    expect(result.output).toEqual({ keep: true, par: { second: "b" } });
  });

  it("records Started before the branches and Exited after them", async () => {
    const result = await runExecution(parallelMachine({ Branches: [slow(0, "a")] }));
    const types = typesOf(result);
    expect(types.slice(0, 3)).toEqual(["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted"]);
    expect(types.slice(-2)).toEqual(["ParallelStateExited", "ExecutionSucceeded"]);
  });

  it("fails with a failing branch's error and cause", async () => {
    const failing: StatesBlock = { StartAt: "F", States: { F: { Type: "Fail", Error: "Branch.Broke", Cause: "branch 2" } } };
    const result = await runExecution(parallelMachine({ Branches: [slow(100, "late"), failing] }));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Branch.Broke");
    expect(result.cause).toBe("branch 2");
    expect(typesOf(result)).toContain("ParallelStateFailed");
    expect(typesOf(result)).not.toContain("ParallelStateExited");
    // The slow branch is cancelled: its Pass never runs.
    expect(eventsOf(result, "PassStateEntered")).toHaveLength(0);
  });

  it("fails with a task error from inside a branch, which a Catch on the Parallel state handles", async () => {
    const branch: StatesBlock = { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } };
    const result = await runExecution(
      parallelMachine(
        { Branches: [branch], Catch: [{ ErrorEquals: ["Task.Err"], ResultPath: "$.caught", Next: "Handled" }] },
        { Handled: { Type: "Pass", End: true } },
      ),
      { input: { x: 1 }, mocks: { T: [{ Throw: { Error: "Task.Err", Cause: "inner" } }] } },
    );
    expect(result.status).toBe("SUCCEEDED");
    expect(result.output).toEqual({ x: 1, caught: { Error: "Task.Err", Cause: "inner" } });
    const types = typesOf(result);
    expect(types.indexOf("ParallelStateFailed")).toBeLessThan(types.indexOf("ParallelStateExited"));
  });

  it("retries the whole Parallel state when a Retry matches the branch error", async () => {
    const branch: StatesBlock = { StartAt: "T", States: { T: { Type: "Task", Resource: LAMBDA, End: true } } };
    const result = await runExecution(parallelMachine({ Branches: [branch], Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 3 }] }), {
      mocks: { T: [{ Throw: { Error: "Flaky" } }, { Return: "ok" }] },
    });
    expect(result.output).toEqual(["ok"]);
    expect(eventsOf(result, "ParallelStateStarted")).toHaveLength(2);
  });

  it("runs nested Parallel states", async () => {
    const inner: StatesBlock = { StartAt: "In", States: { In: { Type: "Parallel", Branches: [slow(0, "x"), slow(0, "y")], End: true } } };
    const result = await runExecution(parallelMachine({ Branches: [inner, slow(0, "z")] }));
    expect(result.output).toEqual([["x", "y"], "z"]);
  });
});
