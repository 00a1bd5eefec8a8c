import type { StateMachineDefinition } from "@stepwise/asl";
import { childResults, getExecution, getHistory } from "@stepwise/storage";
import { assertWellFormedHistory, createTestRuntime, gate, type TestRuntime } from "@stepwise/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A distributed Map over the input's items, each one Task of `handler`. */
function distributedMap(handler: string, limits: Record<string, number>): StateMachineDefinition {
  return {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ...limits,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Work",
          States: { Work: { Type: "Task", Resource: lambda(handler), End: true } },
        },
        End: true,
      },
    },
  } as StateMachineDefinition;
}

describe("an operator steers and stops a running distributed Map's Map Run", () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(() => t.close());

  const until = async (condition: () => boolean | Promise<boolean>, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  /** The fan-out of the Map's run (its id ends the Map Run's ARN), once the run has started. */
  const mapRun = async (executionArn: string): Promise<string> => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
      const started = (await getHistory(t.runtime.db, executionArn)).find((e) => e.type === "MapRunStarted");
      const arn = started?.mapRunStartedEventDetails?.mapRunArn;
      if (arn) return arn.slice(arn.lastIndexOf(":") + 1);
    }
    throw new Error("no Map Run started");
  };

  it("UpdateMapRun: a higher MaxConcurrency starts waiting items at once", async () => {
    const held = gate();
    let running = 0;
    let most = 0;
    t.worker({
      handlers: {
        slow: async (input) => {
          running += 1;
          most = Math.max(most, running);
          await held.released;
          running -= 1;
          return input;
        },
      },
    });
    const arn = await t.createMachine(distributedMap("slow", { MaxConcurrency: 1 }));
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: JSON.stringify([1, 2, 3, 4]) });
    const run = await mapRun(executionArn);
    await until(() => running === 1, "the first item");
    await new Promise((r) => setTimeout(r, 200));
    expect(most).toBe(1);
    await t.runtime.engine.updateMapRun(executionArn, "", run, { maxConcurrency: 4 });
    await until(() => running === 4, "all four items at once");
    held.release();
    const { execution, history } = await t.waitFor(executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual([1, 2, 3, 4]);
    assertWellFormedHistory(history);
  });

  it("UpdateMapRun: a tolerance the failures so far exceed fails the Map Run; an update naming another run changes nothing", async () => {
    const held = gate();
    t.worker({
      handlers: {
        picky: async (input) => {
          if (input === "bad") throw new Error("bad item");
          await held.released;
          return input;
        },
      },
    });
    const arn = await t.createMachine(distributedMap("picky", { ToleratedFailureCount: 5 }));
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: JSON.stringify(["bad", "bad", "good"]) });
    const run = await mapRun(executionArn);
    // Two failures, tolerated so far; the good item waits on the gate.
    const failedItems = async () =>
      (await t.runtime.db.select().from(childResults).where(eq(childResults.executionArn, executionArn))).filter(
        (c) => c.status === "FAILED",
      ).length;
    await until(async () => (await failedItems()) === 2, "two failed items");
    await t.runtime.engine.updateMapRun(executionArn, "", `${run}-earlier`, { toleratedFailureCount: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await getExecution(t.runtime.db, executionArn)).status).toBe("RUNNING");
    await t.runtime.engine.updateMapRun(executionArn, "", run, { toleratedFailureCount: 1 });
    const { execution, history } = await t.waitFor(executionArn);
    held.release();
    // Cancelled with the Map Run: the good item never succeeded.
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("States.ExceedToleratedFailureThreshold");
    expect(history.filter((e) => e.type === "MapRunFailed")).toHaveLength(1);
    assertWellFormedHistory(history);
  });

  it("StopExecution aborts the Map Run with the execution", async () => {
    const held = gate();
    t.worker({
      handlers: {
        stuck: async (input) => {
          await held.released;
          return input;
        },
      },
    });
    const arn = await t.createMachine(distributedMap("stuck", {}));
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: arn, input: JSON.stringify([1, 2]) });
    await mapRun(executionArn);
    await t.runtime.engine.stop(executionArn);
    held.release();
    const { execution, history } = await t.waitFor(executionArn);
    expect(execution.status).toBe("ABORTED");
    expect(history.map((e) => e.type).slice(-2)).toEqual(["MapRunAborted", "ExecutionAborted"]);
  });
});
