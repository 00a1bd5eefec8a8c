import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActivity, listActivities } from "./repositories/activities.ts";
import { searchExecutions } from "./repositories/execution-search.ts";
import { listStateMachines } from "./repositories/state-machines.ts";
import { ACCOUNT, givenExecution, givenStateMachine } from "./test-fixtures.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  for (const name of ["orders-a", "orders-b", "orders_c", "ordersXc", "billing-a"]) await givenStateMachine(t.db, name);
  for (const name of ["orders-worker", "billing-worker"]) await createActivity(t.db, { arn: `${ACCOUNT}:activity:${name}`, name });
  await givenExecution(t.db, "orders-a", "e1");
  await givenExecution(t.db, "billing-a", "e2");
});
afterAll(() => t.drop());

const machines = async (arnLike: readonly string[] | undefined, maxResults?: number) => {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await listStateMachines(t.db, { arnLike, nextToken, ...(maxResults ? { maxResults } : {}) });
    names.push(...page.items.map((m) => m.name));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
};

describe("listing by ARN pattern", () => {
  it("lists only matching machines, page after page, and everything without a filter", async () => {
    expect(await machines([`${ACCOUNT}:stateMachine:orders-%`], 1)).toEqual(["orders-a", "orders-b"]);
    expect(await machines([`${ACCOUNT}:stateMachine:orders-a`, `${ACCOUNT}:stateMachine:billing-%`])).toEqual(["billing-a", "orders-a"]);
    expect((await machines(undefined)).sort()).toEqual(["billing-a", "orders-a", "orders-b", "ordersXc", "orders_c"]);
  });

  it("an empty pattern list matches nothing", async () => {
    expect(await machines([])).toEqual([]);
  });

  it("an escaped underscore is a literal underscore", async () => {
    expect(await machines([`${ACCOUNT}:stateMachine:orders\\_c`])).toEqual(["orders_c"]);
  });

  it("filters activities and the search across every execution", async () => {
    const activities = await listActivities(t.db, { arnLike: [`${ACCOUNT}:activity:orders-%`] });
    expect(activities.items.map((a) => a.name)).toEqual(["orders-worker"]);
    const executions = await searchExecutions(t.db, { stateMachineArnLike: [`${ACCOUNT}:stateMachine:orders-%`] });
    expect(executions.items.map((e) => e.name)).toEqual(["e1"]);
    expect((await searchExecutions(t.db, {})).items.map((e) => e.name).sort()).toEqual(["e1", "e2"]);
  });
});
