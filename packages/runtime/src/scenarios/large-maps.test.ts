import type { ItemProcessor } from "@stepwise/asl";
import { executionThreads, getHistory, taskTokens, timers } from "@stepwise/storage";
import { createTestRuntime, generatedItemsMap, type TestRuntime } from "@stepwise/testkit";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";

/** More items than Postgres's 65,535 parameters of a statement: one per item made ending such a Map impossible. */
const ITEMS = 70_000;
const ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:large-map-review";

/** The first three items wait on an activity (an open task token and a timeout timer each), the others pass. */
const hugeMap = generatedItemsMap(ITEMS, {
  StartAt: "Route",
  States: {
    Route: { Type: "Choice", Choices: [{ Condition: "{% $states.input < 3 %}", Next: "Review" }], Default: "Pass" },
    Review: { Type: "Task", Resource: ACTIVITY, TimeoutSeconds: 600, End: true },
    Pass: { Type: "Pass", End: true },
  },
} as ItemProcessor);

describe(`a Map over ${ITEMS} items can always be ended`, () => {
  // A runtime per scenario: the items a stopped Map leaves queued are not the next scenario's wait.
  let t: TestRuntime;
  const runtime = async (env: Record<string, string> = {}) => {
    t = await createTestRuntime(env);
    t.worker();
    t.scheduler();
    return t;
  };
  afterEach(() => t.close());

  const openTokens = async (executionArn: string) => {
    const [row] = await t.runtime.db
      .select({ n: count() })
      .from(taskTokens)
      .where(and(eq(taskTokens.executionArn, executionArn), inArray(taskTokens.status, ["PENDING", "STARTED"])));
    return row?.n ?? 0;
  };
  /** What an ended execution must not leave behind: open tokens, unfired timers, threads under way. */
  const leftOpen = async (executionArn: string) => {
    const [threads] = await t.runtime.db
      .select({ n: count() })
      .from(executionThreads)
      .where(and(eq(executionThreads.executionArn, executionArn), inArray(executionThreads.status, ["RUNNING", "WAITING"])));
    const [armed] = await t.runtime.db
      .select({ n: count() })
      .from(timers)
      .where(and(eq(timers.executionArn, executionArn), eq(timers.fired, false)));
    return { tokens: await openTokens(executionArn), timers: armed?.n ?? 0, threads: threads?.n ?? 0 };
  };

  it("StopExecution aborts it promptly while its items run, and cancels their tasks", async () => {
    await runtime();
    const machine = await t.createMachine(hugeMap);
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: machine, input: "{}" });
    // The three reviews wait on the activity: the Map's items are under way.
    await expect.poll(() => openTokens(executionArn), { timeout: 40_000, interval: 100 }).toBe(3);

    await t.runtime.engine.stop(executionArn, "Operator", "too many items");
    const { execution, history } = await t.waitFor(executionArn, 10_000);

    expect(execution.status).toBe("ABORTED");
    expect(execution.error).toBe("Operator");
    expect(history.at(-1)?.type).toBe("ExecutionAborted");
    expect(await leftOpen(executionArn)).toEqual({ tokens: 0, timers: 0, threads: 0 });
  }, 60_000);

  it("reaching the history limit fails it with AWS's States.Runtime, its tasks cancelled", async () => {
    // The limit is AWS's 25,000 by default; a Map's items reach a lower one in seconds, not minutes.
    await runtime({ STEPWISE_MAX_HISTORY_EVENTS: "600" });
    const machine = await t.createMachine(hugeMap);
    const { executionArn } = await t.runtime.engine.start({ stateMachineArn: machine, input: "{}" });
    const { execution, history } = await t.waitFor(executionArn, 50_000);

    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("States.Runtime");
    expect(execution.cause).toBe("The execution reached the maximum number of history events (600).");
    expect(history.length).toBeGreaterThanOrEqual(600);
    expect(history.at(-1)?.type).toBe("ExecutionFailed");
    expect(await leftOpen(executionArn)).toEqual({ tokens: 0, timers: 0, threads: 0 });
    // Nothing of it runs on: the items still queued find it ended.
    await new Promise((r) => setTimeout(r, 500));
    expect((await getHistory(t.runtime.db, executionArn)).length).toBe(history.length);
  }, 60_000);
});
