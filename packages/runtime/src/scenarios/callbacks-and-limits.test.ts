import { deleteStateMachine, getExecution, getHistory, tagResource } from "@stepwise/storage";
import { createTestRuntime, eventTypes, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CONCURRENCY_TAG } from "../engine/admission.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe("callbacks, heartbeats, concurrency limits and deleted machines", () => {
  let t: TestRuntime;
  const tokens: string[] = [];
  let release: (() => void) | undefined;

  beforeAll(async () => {
    t = await createTestRuntime();
    t.worker({
      handlers: {
        notify: (_input, ctx) => {
          tokens.push(ctx.taskToken as string);
          return { sent: true };
        },
        hold: () =>
          new Promise((resolve) => {
            release = () => resolve({ held: true });
          }),
        beat: async (_input, ctx) => {
          for (let i = 0; i < 4; i++) {
            await new Promise((r) => setTimeout(r, 400));
            await ctx.heartbeat();
          }
          return { alive: true };
        },
        silent: (_input, ctx) =>
          new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("stopped")))),
      },
    });
    t.scheduler();
  });
  afterAll(() => t.close());

  const waitForToken = async (count: number) => {
    await expect.poll(() => tokens.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
    return tokens[count - 1] as string;
  };

  it(".waitForTaskToken waits for SendTaskSuccess and continues with its output", async () => {
    const arn = await t.createMachine({
      StartAt: "Ask",
      States: {
        Ask: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
          Parameters: { FunctionName: "notify", Payload: { "token.$": "$$.Task.Token" } },
          End: true,
        },
      },
    });
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: "{}" });
    const token = await waitForToken(1);
    expect((await getExecution(t.runtime.db, started.executionArn)).status).toBe("RUNNING");
    await t.runtime.engine.completeTask(token, { output: { approved: true } });
    const { execution } = await t.waitFor(started.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ approved: true });
    await expect(t.runtime.engine.completeTask(token, { output: {} })).rejects.toMatchObject({ name: "TaskTimedOut" });
  });

  it("SendTaskFailure fails the task with the given error", async () => {
    const arn = await t.createMachine({
      StartAt: "Ask",
      States: {
        Ask: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
          Parameters: { FunctionName: "notify", Payload: {} },
          End: true,
        },
      },
    });
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: "{}" });
    const token = await waitForToken(2);
    await t.runtime.engine.completeTask(token, { error: "Approval.Rejected", cause: "no" });
    const { execution } = await t.waitFor(started.executionArn);
    expect(execution).toMatchObject({ status: "FAILED", error: "Approval.Rejected", cause: "no" });
  });

  it("heartbeats keep a task alive past HeartbeatSeconds; silence times it out with States.HeartbeatTimeout", async () => {
    const beating = await t.createMachine({
      StartAt: "B",
      States: { B: { Type: "Task", Resource: lambda("beat"), HeartbeatSeconds: 1, End: true } },
    });
    const silent = await t.createMachine({
      StartAt: "S",
      States: { S: { Type: "Task", Resource: lambda("silent"), HeartbeatSeconds: 1, End: true } },
    });
    const [alive, dead] = await Promise.all([t.run(beating), t.run(silent)]);
    expect(alive.execution.status).toBe("SUCCEEDED");
    expect(dead.execution).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect(eventTypes(dead.history)).toContain("LambdaFunctionTimedOut");
  });

  it("a state machine's concurrency limit queues executions first in, first out", async () => {
    const arn = await t.createMachine({ StartAt: "H", States: { H: { Type: "Task", Resource: lambda("hold"), End: true } } });
    await tagResource(t.runtime.db, arn, [{ key: MAX_CONCURRENCY_TAG, value: "1" }]);
    const first = await t.runtime.engine.start({ stateMachineArn: arn, name: "first", input: "{}" });
    const second = await t.runtime.engine.start({ stateMachineArn: arn, name: "second", input: "{}" });
    const third = await t.runtime.engine.start({ stateMachineArn: arn, name: "third", input: "{}" });
    await expect.poll(() => release !== undefined, { timeout: 10_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    // Only the first has entered its state; the others wait with just ExecutionStarted.
    const histories = await Promise.all([first, second, third].map((s) => getHistory(t.runtime.db, s.executionArn)));
    expect(histories.map((h) => h.length > 1)).toEqual([true, false, false]);
    const order: string[] = [];
    for (const s of [first, second, third]) {
      await expect.poll(() => release !== undefined, { timeout: 10_000 }).toBe(true);
      const r = release as () => void;
      release = undefined;
      r();
      const { execution } = await t.waitFor(s.executionArn);
      order.push(execution.name);
    }
    expect(order).toEqual(["first", "second", "third"]);
  });

  it("deleting a state machine stops its running executions at their next transition", async () => {
    const arn = await t.createMachine({
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 1, Next: "Done" }, Done: { Type: "Succeed" } },
    });
    const started = await t.runtime.engine.start({ stateMachineArn: arn, input: "{}" });
    await deleteStateMachine(t.runtime.db, arn);
    const { execution, history } = await t.waitFor(started.executionArn);
    expect(execution).toMatchObject({ status: "ABORTED", error: "States.Runtime" });
    expect(eventTypes(history).at(-1)).toBe("ExecutionAborted");
  });
});
