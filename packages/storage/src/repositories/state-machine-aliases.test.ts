import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictException, InvalidToken, ResourceNotFound, ServiceQuotaExceededException } from "../errors.ts";
import { givenStateMachine } from "../test-fixtures.ts";
import {
  createStateMachineAlias,
  deleteStateMachineAlias,
  findStateMachineAliases,
  getStateMachineAlias,
  listStateMachineAliases,
  type NewStateMachineAlias,
  updateStateMachineAlias,
} from "./state-machine-aliases.ts";
import { deleteStateMachineVersion, publishStateMachineVersion } from "./state-machine-versions.ts";
import { deleteStateMachine, updateStateMachine } from "./state-machines.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** A machine with two versions. */
async function givenVersions(name: string): Promise<{ machineArn: string; v1: string; v2: string }> {
  const machine = await givenStateMachine(t.db, name);
  const v1 = (await publishStateMachineVersion(t.db, machine.arn)).version.arn;
  await updateStateMachine(t.db, machine.arn, { description: "second" });
  const v2 = (await publishStateMachineVersion(t.db, machine.arn)).version.arn;
  return { machineArn: machine.arn, v1, v2 };
}

const alias = (machineArn: string, name: string, routing: [string, number][], extra: Partial<NewStateMachineAlias> = {}) => ({
  arn: `${machineArn}:${name}`,
  stateMachineArn: machineArn,
  name,
  routingConfiguration: routing.map(([stateMachineVersionArn, weight]) => ({ stateMachineVersionArn, weight })),
  ...extra,
});

describe("createStateMachineAlias", () => {
  it("creates, answers the same request with the same alias, and refuses another under the name", async () => {
    const { machineArn, v1, v2 } = await givenVersions("create");
    const now = new Date("2026-01-01T00:00:00.000Z");
    const first = await createStateMachineAlias(t.db, alias(machineArn, "live", [[v1, 100]], { description: "d", now }));
    expect(first).toMatchObject({ created: true, alias: { name: "live", description: "d", createdAt: now, updatedAt: now } });
    const again = await createStateMachineAlias(t.db, alias(machineArn, "live", [[v1, 100]], { description: "d" }));
    expect(again).toEqual({ created: false, alias: first.alias });
    await expect(createStateMachineAlias(t.db, alias(machineArn, "live", [[v2, 100]], { description: "d" }))).rejects.toThrow(
      ConflictException,
    );
  });

  it("refuses a version that does not exist, and more aliases than the limit", async () => {
    const { machineArn, v1 } = await givenVersions("refused");
    await expect(createStateMachineAlias(t.db, alias(machineArn, "x", [[`${machineArn}:9`, 100]]))).rejects.toThrow(ResourceNotFound);
    await createStateMachineAlias(t.db, alias(machineArn, "one", [[v1, 100]], { maxAliases: 1 }));
    await expect(createStateMachineAlias(t.db, alias(machineArn, "two", [[v1, 100]], { maxAliases: 1 }))).rejects.toThrow(
      ServiceQuotaExceededException,
    );
  });
});

describe("updateStateMachineAlias and deleteStateMachineAlias", () => {
  it("changes the routing and the update date, and frees the version it routed to", async () => {
    const { machineArn, v1, v2 } = await givenVersions("update");
    const created = await createStateMachineAlias(t.db, alias(machineArn, "live", [[v1, 100]]));
    const later = new Date(created.alias.createdAt.getTime() + 1000);
    const updated = await updateStateMachineAlias(t.db, `${machineArn}:live`, {
      routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
      now: later,
    });
    expect(updated).toMatchObject({ updatedAt: later, createdAt: created.alias.createdAt, description: null });
    expect(await deleteStateMachineVersion(t.db, v1)).toBe(true);
    await expect(
      updateStateMachineAlias(t.db, `${machineArn}:live`, { routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }),
    ).rejects.toThrow(ResourceNotFound);
    await expect(updateStateMachineAlias(t.db, `${machineArn}:none`, { description: "x" })).rejects.toThrow(ResourceNotFound);

    await deleteStateMachineAlias(t.db, `${machineArn}:live`);
    await expect(getStateMachineAlias(t.db, `${machineArn}:live`)).rejects.toThrow(ResourceNotFound);
    await expect(deleteStateMachineAlias(t.db, `${machineArn}:live`)).rejects.toThrow(ResourceNotFound);
  });
});

describe("listStateMachineAliases", () => {
  it("lists newest first, page by page, optionally only those routing to a version", async () => {
    const { machineArn, v1, v2 } = await givenVersions("list");
    const base = Date.parse("2026-01-01T00:00:00.000Z");
    for (const [i, name] of ["a", "b", "c"].entries()) {
      const routing: [string, number][] =
        name === "b"
          ? [[v2, 100]]
          : [
              [v1, 50],
              [v2, 50],
            ];
      await createStateMachineAlias(t.db, alias(machineArn, name, routing, { now: new Date(base + i * 1000) }));
    }
    const first = await listStateMachineAliases(t.db, { stateMachineArn: machineArn, maxResults: 2 });
    expect(first.items.map((a) => a.arn)).toEqual([`${machineArn}:c`, `${machineArn}:b`]);
    const second = await listStateMachineAliases(t.db, {
      stateMachineArn: machineArn,
      maxResults: 2,
      nextToken: first.nextToken as string,
    });
    expect(second.items.map((a) => a.arn)).toEqual([`${machineArn}:a`]);
    expect(second.nextToken).toBeUndefined();

    const ofV1 = await listStateMachineAliases(t.db, { stateMachineArn: machineArn, versionArn: v1 });
    expect(ofV1.items.map((a) => a.arn)).toEqual([`${machineArn}:c`, `${machineArn}:a`]);
    await expect(
      listStateMachineAliases(t.db, { stateMachineArn: machineArn, versionArn: v1, nextToken: first.nextToken as string }),
    ).rejects.toThrow(InvalidToken);
  });

  it("loses a machine's aliases when it is deleted", async () => {
    const { machineArn, v1 } = await givenVersions("gone");
    await createStateMachineAlias(t.db, alias(machineArn, "live", [[v1, 100]]));
    await deleteStateMachine(t.db, machineArn);
    expect((await findStateMachineAliases(t.db, [`${machineArn}:live`])).size).toBe(0);
  });
});
