import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidToken, StateMachineAlreadyExists, StateMachineDeleting, StateMachineDoesNotExist } from "../errors.ts";
import { givenExecution, givenStateMachine, newExecution, PASS_DEFINITION, ROLE_ARN, stateMachineArn } from "../test-fixtures.ts";
import { createExecution, finishExecution } from "./executions.ts";
import {
  createStateMachine,
  deleteStateMachine,
  getStateMachine,
  listStateMachines,
  purgeStateMachine,
  updateStateMachine,
} from "./state-machines.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const machine = (name: string, definition = PASS_DEFINITION) => ({
  arn: stateMachineArn(name),
  name,
  definition,
  roleArn: ROLE_ARN,
  loggingConfiguration: { level: "OFF", includeExecutionData: false },
});

describe("createStateMachine", () => {
  it("creates, then answers the same request with the same machine", async () => {
    const first = await createStateMachine(t.db, { ...machine("idem"), tags: [{ key: "team", value: "a" }] });
    expect(first.created).toBe(true);
    expect(first.stateMachine).toMatchObject({ name: "idem", status: "ACTIVE", type: "STANDARD", tags: [{ key: "team", value: "a" }] });

    const again = await createStateMachine(t.db, { ...machine("idem"), roleArn: "arn:aws:iam::1:role/Other" });
    expect(again.created).toBe(false);
    expect(again.stateMachine.roleArn).toBe(ROLE_ARN);
    expect(again.stateMachine.revisionId).toBe(first.stateMachine.revisionId);
  });

  it("refuses another definition, type or logging configuration under a taken name", async () => {
    await createStateMachine(t.db, machine("taken"));
    const other = JSON.stringify({ StartAt: "S", States: { S: { Type: "Succeed" } } });
    await expect(createStateMachine(t.db, machine("taken", other))).rejects.toThrow(StateMachineAlreadyExists);
    await expect(createStateMachine(t.db, { ...machine("taken"), type: "EXPRESS" })).rejects.toMatchObject({
      name: "StateMachineAlreadyExists",
      message: `State Machine Already Exists: '${stateMachineArn("taken")}'`,
    });
    await expect(
      createStateMachine(t.db, { ...machine("taken"), loggingConfiguration: { level: "ALL", includeExecutionData: true } }),
    ).rejects.toThrow(StateMachineAlreadyExists);
  });
});

describe("getStateMachine", () => {
  it("throws StateMachineDoesNotExist with AWS's message", async () => {
    const arn = stateMachineArn("nope");
    await expect(getStateMachine(t.db, arn)).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
      message: `State Machine Does Not Exist: '${arn}'`,
    });
  });
});

describe("listStateMachines", () => {
  it("pages through machines by name with opaque tokens", async () => {
    const page = await createTestDatabase();
    try {
      for (const name of ["e", "b", "d", "a", "c"]) await givenStateMachine(page.db, name);
      const names: string[][] = [];
      let nextToken: string | undefined;
      do {
        const result = await listStateMachines(page.db, { maxResults: 2, nextToken });
        names.push(result.items.map((item) => item.name));
        nextToken = result.nextToken;
      } while (nextToken);
      expect(names).toEqual([["a", "b"], ["c", "d"], ["e"]]);
      expect((await listStateMachines(page.db)).items).toHaveLength(5);
    } finally {
      await page.drop();
    }
  });

  it("rejects a token it did not issue", async () => {
    await expect(listStateMachines(t.db, { nextToken: "garbage" })).rejects.toThrow(InvalidToken);
    const foreign = Buffer.from(JSON.stringify(["activities", "x"])).toString("base64url");
    await expect(listStateMachines(t.db, { nextToken: foreign })).rejects.toThrow(InvalidToken);
  });
});

describe("updateStateMachine", () => {
  it("stores the new definition under a new revision", async () => {
    const before = await givenStateMachine(t.db, "updated");
    const definition = JSON.stringify({ StartAt: "S", States: { S: { Type: "Succeed" } } });
    const { revisionId } = await updateStateMachine(t.db, before.arn, { definition });
    expect(revisionId).not.toBe(before.revisionId);
    const after = await getStateMachine(t.db, before.arn);
    expect(after).toMatchObject({ definition, revisionId, roleArn: ROLE_ARN });
  });

  it("throws StateMachineDoesNotExist for an unknown machine and StateMachineDeleting for a deleted one", async () => {
    await expect(updateStateMachine(t.db, stateMachineArn("ghost"), { roleArn: ROLE_ARN })).rejects.toThrow(StateMachineDoesNotExist);
    const doomed = await givenStateMachine(t.db, "doomed-update");
    await deleteStateMachine(t.db, doomed.arn);
    await expect(updateStateMachine(t.db, doomed.arn, { roleArn: ROLE_ARN })).rejects.toThrow(StateMachineDeleting);
  });
});

describe("deleteStateMachine", () => {
  it("marks the machine DELETING, refuses new executions, and purges it once nothing runs", async () => {
    const doomed = await givenStateMachine(t.db, "doomed");
    const running = await givenExecution(t.db, "doomed", "still-running");

    expect(await deleteStateMachine(t.db, doomed.arn)).toBe(true);
    expect((await getStateMachine(t.db, doomed.arn)).status).toBe("DELETING");
    await expect(createExecution(t.db, newExecution("doomed", "late"))).rejects.toThrow(StateMachineDeleting);
    await expect(createStateMachine(t.db, machine("doomed"))).rejects.toThrow(StateMachineDeleting);

    expect(await purgeStateMachine(t.db, doomed.arn)).toBe(false);
    await finishExecution(t.db, running.arn, { status: "SUCCEEDED", output: "{}", stopDate: new Date() });
    expect(await purgeStateMachine(t.db, doomed.arn)).toBe(true);
    await expect(getStateMachine(t.db, doomed.arn)).rejects.toThrow(StateMachineDoesNotExist);
  });

  it("reports whether there was anything to delete", async () => {
    expect(await deleteStateMachine(t.db, stateMachineArn("never-was"))).toBe(false);
  });

  it("never purges an ACTIVE machine", async () => {
    const alive = await givenStateMachine(t.db, "alive");
    expect(await purgeStateMachine(t.db, alive.arn)).toBe(false);
  });
});
