import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { givenExecution, givenStateMachine, stateMachineArn } from "../test-fixtures.ts";
import { finishExecution } from "./executions.ts";
import { countRunning, dequeueNextPending, enqueuePending } from "./pending-executions.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

async function queued(machine: string, names: string[]): Promise<string[]> {
  await givenStateMachine(t.db, machine);
  const arns: string[] = [];
  for (const name of names) {
    const { arn } = await givenExecution(t.db, machine, name);
    await enqueuePending(t.db, { executionArn: arn, stateMachineArn: stateMachineArn(machine) });
    arns.push(arn);
  }
  return arns;
}

describe("pending executions", () => {
  it("dequeues in enqueue order, per machine, and idempotently enqueues", async () => {
    const arns = await queued("fifo", ["c", "a", "b"]);
    await queued("elsewhere", ["x"]);
    await enqueuePending(t.db, { executionArn: arns[0] as string, stateMachineArn: stateMachineArn("fifo") });
    const order: string[] = [];
    for (
      let next = await dequeueNextPending(t.db, stateMachineArn("fifo"));
      next;
      next = await dequeueNextPending(t.db, stateMachineArn("fifo"))
    ) {
      order.push(next.executionArn);
    }
    expect(order).toEqual(arns);
  });

  it("counts running executions, leaving out those still queued", async () => {
    const [first] = await queued("counted", ["one", "two"]);
    await givenExecution(t.db, "counted", "direct");
    expect(await countRunning(t.db, stateMachineArn("counted"))).toBe(1);
    await dequeueNextPending(t.db, stateMachineArn("counted"));
    expect(await countRunning(t.db, stateMachineArn("counted"))).toBe(2);
    await finishExecution(t.db, first as string, { status: "SUCCEEDED", output: "{}", stopDate: new Date() });
    expect(await countRunning(t.db, stateMachineArn("counted"))).toBe(1);
  });

  it("admits no more than maxRunning even when schedulers race for the last slot", async () => {
    await queued("limited", ["p1", "p2", "p3", "p4"]);
    const admitted = await Promise.all([1, 2, 3, 4].map(() => dequeueNextPending(t.db, stateMachineArn("limited"), { maxRunning: 2 })));
    expect(admitted.filter(Boolean).map((entry) => entry?.executionArn.split(":").pop())).toEqual(["p1", "p2"]);
    expect(await countRunning(t.db, stateMachineArn("limited"))).toBe(2);
  });
});
