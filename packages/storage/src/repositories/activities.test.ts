import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActivityDoesNotExist } from "../errors.ts";
import { ACCOUNT } from "../test-fixtures.ts";
import { createActivity, deleteActivity, getActivity, listActivities } from "./activities.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const activityArn = (name: string) => `${ACCOUNT}:activity:${name}`;

describe("activities", () => {
  it("creates idempotently on the name, keeping the first tags", async () => {
    const first = await createActivity(t.db, { arn: activityArn("a"), name: "a", tags: [{ key: "k", value: "1" }] });
    const again = await createActivity(t.db, { arn: activityArn("a"), name: "a", tags: [{ key: "k", value: "2" }] });
    expect(first.created).toBe(true);
    expect(again).toEqual({ activity: first.activity, created: false });
    expect(await getActivity(t.db, activityArn("a"))).toEqual(first.activity);
  });

  it("lists by name a page at a time", async () => {
    for (const name of ["c", "b", "d"]) await createActivity(t.db, { arn: activityArn(name), name });
    const first = await listActivities(t.db, { maxResults: 3 });
    expect(first.items.map((item) => item.name)).toEqual(["a", "b", "c"]);
    const second = await listActivities(t.db, { maxResults: 3, nextToken: first.nextToken });
    expect(second.items.map((item) => item.name)).toEqual(["d"]);
    expect(second.nextToken).toBeUndefined();
  });

  it("deletes, after which the activity does not exist", async () => {
    expect(await deleteActivity(t.db, activityArn("d"))).toBe(true);
    expect(await deleteActivity(t.db, activityArn("d"))).toBe(false);
    await expect(getActivity(t.db, activityArn("d"))).rejects.toMatchObject({
      name: "ActivityDoesNotExist",
      message: `Activity Does Not Exist: '${activityArn("d")}'`,
    });
    await expect(getActivity(t.db, activityArn("zz"))).rejects.toThrow(ActivityDoesNotExist);
  });
});
