import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourceNotFound } from "../errors.ts";
import { ACCOUNT, givenStateMachine, stateMachineArn } from "../test-fixtures.ts";
import { createActivity } from "./activities.ts";
import { listTags, tagResource, untagResource } from "./tags.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("tags", () => {
  it("adds, replaces and removes state machine tags by key", async () => {
    const { arn } = await givenStateMachine(t.db, "tagged");
    await tagResource(t.db, arn, [
      { key: "team", value: "a" },
      { key: "env", value: "dev" },
    ]);
    await tagResource(t.db, arn, [{ key: "env", value: "prod" }]);
    expect(await listTags(t.db, arn)).toEqual([
      { key: "team", value: "a" },
      { key: "env", value: "prod" },
    ]);
    await untagResource(t.db, arn, ["team", "absent"]);
    expect(await listTags(t.db, arn)).toEqual([{ key: "env", value: "prod" }]);
  });

  it("tags activities too", async () => {
    const arn = `${ACCOUNT}:activity:worker`;
    await createActivity(t.db, { arn, name: "worker" });
    await tagResource(t.db, arn, [{ key: "k", value: "v" }]);
    expect(await listTags(t.db, arn)).toEqual([{ key: "k", value: "v" }]);
  });

  it("throws ResourceNotFound for unknown resources and for resources that carry no tags", async () => {
    await expect(listTags(t.db, stateMachineArn("missing"))).rejects.toMatchObject({
      name: "ResourceNotFound",
      message: `Resource not found: '${stateMachineArn("missing")}'`,
    });
    await expect(tagResource(t.db, `${ACCOUNT}:execution:m:e`, [])).rejects.toThrow(ResourceNotFound);
  });
});
