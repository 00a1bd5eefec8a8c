import { getHistory } from "@stepwise/storage";
import { createTestRuntime, eventTypes, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskFailure } from "../worker/task-handler.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe("express workflows run inside one worker job", () => {
  let t: TestRuntime;

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker({
      handlers: {
        inc: (input) => ({ n: (input as { n: number }).n + 1 }),
        reject: () => {
          throw new TaskFailure("Order.Invalid", "missing sku");
        },
        nul: () => ({ text: "a\u0000b" }),
      },
    });
    t.scheduler();
  });
  afterAll(() => t.close());

  it("runs tasks, a Map and a Wait in memory and stores only the result", async () => {
    const arn = await t.createMachine(
      {
        StartAt: "A",
        States: {
          A: { Type: "Task", Resource: lambda("inc"), ResultPath: "$.inc", Next: "W" },
          W: { Type: "Wait", Seconds: 1, Next: "M" },
          M: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemSelector: { "n.$": "$$.Map.Item.Value" },
            ItemProcessor: {
              StartAt: "I",
              States: {
                I: {
                  Type: "Task",
                  Resource: "arn:aws:states:::lambda:invoke",
                  Parameters: { FunctionName: "inc", "Payload.$": "$" },
                  OutputPath: "$.Payload",
                  End: true,
                },
              },
            },
            ResultPath: "$.mapped",
            End: true,
          },
        },
      },
      undefined,
      "EXPRESS",
    );
    const { execution } = await t.run(arn, { n: 1, items: [10, 20] });
    expect(execution, `${execution.error}: ${execution.cause}`).toMatchObject({ status: "SUCCEEDED" });
    expect(JSON.parse(execution.output as string)).toEqual({ n: 1, items: [10, 20], inc: { n: 2 }, mapped: [{ n: 11 }, { n: 21 }] });
    expect(eventTypes(await getHistory(t.runtime.db, execution.arn))).toEqual(["ExecutionStarted"]);
  });

  it("a handler error fails the express execution with its name", async () => {
    const arn = await t.createMachine(
      { StartAt: "R", States: { R: { Type: "Task", Resource: lambda("reject"), End: true } } },
      undefined,
      "EXPRESS",
    );
    const { execution } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "Order.Invalid", cause: "missing sku" });
  });

  it("a handler result Postgres cannot store (U+0000) fails the express execution with States.Runtime, as in a standard one", async () => {
    const arn = await t.createMachine(
      { StartAt: "N", States: { N: { Type: "Task", Resource: lambda("nul"), End: true } } },
      undefined,
      "EXPRESS",
    );
    const { execution } = await t.run(arn, {});
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Runtime" });
    expect(execution.cause).toContain("U+0000");
  });

  it("StopExecution ends a running express execution at once, even in a long Wait", async () => {
    const arn = await t.createMachine({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 600, End: true } } }, undefined, "EXPRESS");
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: "{}" });
    await new Promise((r) => setTimeout(r, 300));
    await t.runtime.engine.stop(started.executionArn, "Operator.Stop", "enough");
    const { execution } = await t.waitFor(started.executionArn, 5000);
    expect(execution).toMatchObject({ status: "ABORTED", error: "Operator.Stop" });
    // The worker is free again: another express execution completes.
    const quick = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, undefined, "EXPRESS");
    expect((await t.run(quick, { ok: 1 }, 5000)).execution.status).toBe("SUCCEEDED");
  });
});
