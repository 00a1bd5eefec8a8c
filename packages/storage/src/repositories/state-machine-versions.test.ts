import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictException,
  InvalidToken,
  ServiceQuotaExceededException,
  StateMachineDeleting,
  StateMachineDoesNotExist,
} from "../errors.ts";
import { givenStateMachine, stateMachineArn } from "../test-fixtures.ts";
import { createStateMachineAlias } from "./state-machine-aliases.ts";
import {
  deleteStateMachineVersion,
  findStateMachineVersions,
  getStateMachineVersion,
  listStateMachineVersions,
  publishStateMachineVersion,
} from "./state-machine-versions.ts";
import { deleteStateMachine, getStateMachine, updateStateMachine } from "./state-machines.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const OTHER_DEFINITION = JSON.stringify({ StartAt: "S", States: { S: { Type: "Succeed" } } });

describe("publishStateMachineVersion", () => {
  it("numbers versions 1, 2, … and snapshots the machine as it was", async () => {
    const machine = await givenStateMachine(t.db, "pub");
    const first = await publishStateMachineVersion(t.db, machine.arn, { description: "first" });
    expect(first).toMatchObject({ created: true, version: { arn: `${machine.arn}:1`, version: 1, description: "first" } });
    expect(first.version).toMatchObject({ definition: machine.definition, roleArn: machine.roleArn, revisionId: machine.revisionId });

    await updateStateMachine(t.db, machine.arn, { definition: OTHER_DEFINITION });
    const second = await publishStateMachineVersion(t.db, machine.arn);
    expect(second.version).toMatchObject({ arn: `${machine.arn}:2`, version: 2, definition: OTHER_DEFINITION });
    expect((await getStateMachineVersion(t.db, `${machine.arn}:1`)).definition).toBe(machine.definition);
  });

  it("answers a publish of the revision the latest version has with that version", async () => {
    const machine = await givenStateMachine(t.db, "again");
    const first = await publishStateMachineVersion(t.db, machine.arn);
    const again = await publishStateMachineVersion(t.db, machine.arn, { revisionId: machine.revisionId, description: "ignored" });
    expect(again).toEqual({ created: false, version: first.version });
  });

  it("refuses a revision that is not the machine's current one", async () => {
    const machine = await givenStateMachine(t.db, "stale");
    await updateStateMachine(t.db, machine.arn, { definition: OTHER_DEFINITION });
    await expect(publishStateMachineVersion(t.db, machine.arn, { revisionId: machine.revisionId })).rejects.toThrow(ConflictException);
  });

  it("publishes concurrently without two versions of one number", async () => {
    const machine = await givenStateMachine(t.db, "concurrent");
    const published = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        await updateStateMachine(t.db, machine.arn, { description: `d${i}` });
        return publishStateMachineVersion(t.db, machine.arn);
      }),
    );
    const numbers = new Set(published.map((p) => p.version.version));
    expect(numbers.size).toBe(published.filter((p) => p.created).length);
  });

  it("never reuses the number of a deleted version", async () => {
    const machine = await givenStateMachine(t.db, "reuse");
    await publishStateMachineVersion(t.db, machine.arn);
    expect(await deleteStateMachineVersion(t.db, `${machine.arn}:1`)).toBe(true);
    await updateStateMachine(t.db, machine.arn, { description: "changed" });
    expect((await publishStateMachineVersion(t.db, machine.arn)).version.version).toBe(2);
  });

  it("stops at the limit of versions a machine may have", async () => {
    const machine = await givenStateMachine(t.db, "quota");
    await publishStateMachineVersion(t.db, machine.arn, { maxVersions: 1 });
    await updateStateMachine(t.db, machine.arn, { description: "changed" });
    await expect(publishStateMachineVersion(t.db, machine.arn, { maxVersions: 1 })).rejects.toThrow(ServiceQuotaExceededException);
  });

  it("refuses a machine that does not exist or is being deleted", async () => {
    await expect(publishStateMachineVersion(t.db, stateMachineArn("nothing"))).rejects.toThrow(StateMachineDoesNotExist);
    const machine = await givenStateMachine(t.db, "going");
    await deleteStateMachine(t.db, machine.arn);
    await expect(publishStateMachineVersion(t.db, machine.arn)).rejects.toThrow(StateMachineDeleting);
  });
});

describe("listStateMachineVersions", () => {
  it("lists newest first, page by page", async () => {
    const machine = await givenStateMachine(t.db, "listed");
    for (let i = 0; i < 3; i++) {
      await updateStateMachine(t.db, machine.arn, { description: `d${i}` });
      await publishStateMachineVersion(t.db, machine.arn);
    }
    const first = await listStateMachineVersions(t.db, machine.arn, { maxResults: 2 });
    expect(first.items.map((v) => v.version)).toEqual([3, 2]);
    const second = await listStateMachineVersions(t.db, machine.arn, { maxResults: 2, nextToken: first.nextToken as string });
    expect(second).toEqual({ items: [expect.objectContaining({ version: 1 })] });
    await expect(listStateMachineVersions(t.db, stateMachineArn("pub"), { nextToken: first.nextToken as string })).rejects.toThrow(
      InvalidToken,
    );
  });
});

/** An alias "live" routing every start of the machine to one version. */
const aliasLiveTo = (machineArn: string, versionArn: string) =>
  createStateMachineAlias(t.db, {
    arn: `${machineArn}:live`,
    stateMachineArn: machineArn,
    name: "live",
    routingConfiguration: [{ stateMachineVersionArn: versionArn, weight: 100 }],
  });

describe("deleteStateMachineVersion", () => {
  it("refuses a version an alias routes to, and deletes it once none does", async () => {
    const machine = await givenStateMachine(t.db, "routed");
    const { version } = await publishStateMachineVersion(t.db, machine.arn);
    await aliasLiveTo(machine.arn, version.arn);
    await expect(deleteStateMachineVersion(t.db, version.arn)).rejects.toThrow(ConflictException);
    expect((await findStateMachineVersions(t.db, [version.arn])).size).toBe(1);
    expect(await deleteStateMachineVersion(t.db, `${machine.arn}:7`)).toBe(false);
  });

  it("goes with its machine, as do the aliases", async () => {
    const machine = await givenStateMachine(t.db, "deleted");
    const { version } = await publishStateMachineVersion(t.db, machine.arn);
    await aliasLiveTo(machine.arn, version.arn);
    await deleteStateMachine(t.db, machine.arn);
    expect((await getStateMachine(t.db, machine.arn)).status).toBe("DELETING");
    expect((await findStateMachineVersions(t.db, [version.arn])).size).toBe(0);
  });
});
