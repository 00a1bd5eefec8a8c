import { describe, expect, it } from "vitest";
import { TaskFailure } from "./task-handler.ts";
import { errorTrigger, resultTrigger } from "./task-outcome.ts";

describe("a handler's outcome as the task's trigger", () => {
  it("a result holding U+0000 anywhere, key or value, fails the task: Postgres cannot store it", () => {
    for (const value of [{ a: "x\u0000" }, ["ok", ["\u0000"]], { "k\u0000": 1 }, "\u0000"]) {
      expect(resultTrigger("t", value)).toMatchObject({ type: "taskFailed", error: "States.Runtime" });
    }
  });

  it("the six characters \\u0000 written as text are an ordinary result", () => {
    expect(resultTrigger("t", { path: "C:\\u0000" })).toEqual({ type: "taskSucceeded", taskId: "t", output: { path: "C:\\u0000" } });
  });

  it("an error whose name or cause holds U+0000 fails the task with States.Runtime instead", () => {
    expect(errorTrigger("t", new TaskFailure("Bad\u0000", "c"))).toMatchObject({ error: "States.Runtime" });
    expect(errorTrigger("t", new Error("message \u0000"))).toMatchObject({ error: "States.Runtime" });
    expect(errorTrigger("t", new TaskFailure("Payment.Declined", "card expired"))).toEqual({
      type: "taskFailed",
      taskId: "t",
      error: "Payment.Declined",
      cause: "card expired",
    });
  });
});
