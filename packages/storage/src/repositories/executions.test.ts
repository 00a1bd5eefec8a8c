import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionAlreadyExists, ExecutionDoesNotExist, StateMachineDoesNotExist } from "../errors.ts";
import { executionArn, givenStateMachine, newExecution } from "../test-fixtures.ts";
import { getExecution } from "./execution-read.ts";
import { createExecution, finishExecution, lockExecution, lockExecutionsWithThreads } from "./executions.ts";
import { getHistory } from "./history.ts";
import { getThread, upsertThreads } from "./threads.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "m");
});
afterAll(() => t.drop());

describe("createExecution", () => {
  it("writes the execution, its first events and its root thread together", async () => {
    const { execution, created } = await createExecution(t.db, newExecution("m", "first", { input: '{"a":1}' }));
    expect(created).toBe(true);
    expect(execution).toEqual({ arn: executionArn("m", "first"), startDate: new Date("2025-01-01T00:00:00.000Z") });
    expect(await getExecution(t.db, execution.arn)).toMatchObject({
      name: "first",
      status: "RUNNING",
      input: '{"a":1}',
      version: 0,
      startDate: new Date("2025-01-01T00:00:00.000Z"),
    });
    expect(await getHistory(t.db, execution.arn)).toEqual([
      {
        timestamp: "2025-01-01T00:00:00.000Z",
        type: "ExecutionStarted",
        id: 1,
        previousEventId: 0,
        executionStartedEventDetails: expect.objectContaining({ input: '{"a":1}' }),
      },
    ]);
    expect(await getThread(t.db, execution.arn, "")).toMatchObject({ position: { state: "P" }, status: "RUNNING", version: 0 });
  });

  it("returns the running execution for the same name and input", async () => {
    const first = await createExecution(t.db, newExecution("m", "twice", { input: '{"x":true}' }));
    const again = await createExecution(t.db, newExecution("m", "twice", { input: '{"x":true}' }));
    expect(again.created).toBe(false);
    expect(again.execution).toMatchObject(first.execution);
    expect(await getHistory(t.db, first.execution.arn)).toHaveLength(1);
  });

  it("throws ExecutionAlreadyExists for another input, or once the execution closed", async () => {
    await createExecution(t.db, newExecution("m", "dup", { input: "{}" }));
    await expect(createExecution(t.db, newExecution("m", "dup", { input: '{"other":1}' }))).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
      message: `Execution Already Exists: '${executionArn("m", "dup")}'`,
    });
    await finishExecution(t.db, executionArn("m", "dup"), { status: "SUCCEEDED", output: "{}", stopDate: new Date() });
    await expect(createExecution(t.db, newExecution("m", "dup", { input: "{}" }))).rejects.toThrow(ExecutionAlreadyExists);
  });

  it("creates exactly one execution when the same start races", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => createExecution(t.db, newExecution("m", "race", { input: "{}" }))));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.execution.arn)).size).toBe(1);
    expect(await getHistory(t.db, executionArn("m", "race"))).toHaveLength(1);
  });

  it("throws StateMachineDoesNotExist for an unknown machine and writes nothing", async () => {
    await expect(createExecution(t.db, newExecution("ghost", "e"))).rejects.toThrow(StateMachineDoesNotExist);
    await expect(getExecution(t.db, executionArn("ghost", "e"))).rejects.toThrow(ExecutionDoesNotExist);
  });
});

describe("getExecution", () => {
  it("throws ExecutionDoesNotExist with AWS's message", async () => {
    const arn = executionArn("m", "missing");
    await expect(getExecution(t.db, arn)).rejects.toMatchObject({
      name: "ExecutionDoesNotExist",
      message: `Execution Does Not Exist: '${arn}'`,
    });
  });
});

describe("finishExecution", () => {
  it("closes a running execution once; a second close loses", async () => {
    const { execution } = await createExecution(t.db, newExecution("m", "finish"));
    const stopDate = new Date("2025-01-01T00:00:05.000Z");
    expect(await finishExecution(t.db, execution.arn, { status: "FAILED", error: "E", cause: "C", stopDate })).toBe(true);
    expect(await finishExecution(t.db, execution.arn, { status: "SUCCEEDED", output: "{}", stopDate })).toBe(false);
    expect(await getExecution(t.db, execution.arn)).toMatchObject({
      status: "FAILED",
      error: "E",
      cause: "C",
      output: null,
      stopDate,
      version: 1,
    });
  });
});

describe("lockExecution", () => {
  it("returns the next event id and makes a second locker wait for the first to commit", async () => {
    const { execution } = await createExecution(t.db, newExecution("m", "locked"));
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstLocked!: () => void;
    const firstHasLock = new Promise<void>((resolve) => {
      firstLocked = resolve;
    });

    const first = t.db.transaction(async (tx) => {
      const locked = await lockExecution(tx, execution.arn);
      expect(locked).toEqual({
        arn: execution.arn,
        status: "RUNNING",
        nextEventId: 2,
        version: 0,
        stateMachineStatus: "ACTIVE",
        redriveCount: 0,
      });
      firstLocked();
      await firstHolds;
      order.push("first commits");
    });
    await firstHasLock;
    const second = t.db.transaction(async (tx) => {
      await lockExecution(tx, execution.arn);
      order.push("second locked");
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    order.push("released");
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(["released", "first commits", "second locked"]);
  });

  it("throws ExecutionDoesNotExist for an unknown execution", async () => {
    await expect(t.db.transaction((tx) => lockExecution(tx, executionArn("m", "none")))).rejects.toThrow(ExecutionDoesNotExist);
  });
});

describe("lockExecutionsWithThreads", () => {
  it("returns what lockExecution does with the positions of the threads asked for, for each execution, and holds their locks", async () => {
    const { execution } = await createExecution(t.db, newExecution("m", "locked-thread"));
    const { execution: other } = await createExecution(t.db, newExecution("m", "locked-other"));
    await upsertThreads(t.db, execution.arn, [{ threadId: "Map/0", position: { at: "child" }, status: "WAITING" }]);
    await t.db.transaction(async (tx) => {
      const locked = await lockExecutionsWithThreads(tx, [
        { arn: execution.arn, threadIds: ["", "Map/0", "Map/9"] },
        { arn: other.arn, threadIds: ["Map/0"] },
      ]);
      expect(locked.get(execution.arn)).toEqual({
        arn: execution.arn,
        status: "RUNNING",
        nextEventId: 2,
        version: 0,
        stateMachineStatus: "ACTIVE",
        redriveCount: 0,
        threads: new Map<string, unknown>([
          ["", { state: "P" }],
          ["Map/0", { at: "child" }],
        ]),
      });
      expect(locked.get(other.arn)?.threads).toEqual(new Map());
      // Another writer cannot take the rows while this transaction holds them.
      for (const arn of [execution.arn, other.arn])
        await expect(t.sql`select 1 from executions where arn = ${arn} for update nowait`).rejects.toMatchObject({ code: "55P03" });
    });
  });

  it("throws ExecutionDoesNotExist for an unknown execution", async () => {
    await expect(
      t.db.transaction((tx) => lockExecutionsWithThreads(tx, [{ arn: executionArn("m", "none"), threadIds: [""] }])),
    ).rejects.toThrow(ExecutionDoesNotExist);
  });
});
