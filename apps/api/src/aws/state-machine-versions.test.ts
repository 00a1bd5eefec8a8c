import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, passMachine, ROLE_ARN, rejection, startAwsTestServer, waitForEnd as waitForEndOf } from "./test-server.ts";

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer({ worker: { handlers: {} } });
});
afterAll(() => s.close());

let machines = 0;
async function createMachine(result: unknown, extra: Record<string, unknown> = {}): Promise<string> {
  const name = `versioned-${++machines}`;
  const out = await s.client.send(new CreateStateMachineCommand({ name, definition: passMachine(result), roleArn: ROLE_ARN, ...extra }));
  return out.stateMachineArn as string;
}

const publish = (stateMachineArn: string, extra: { revisionId?: string; description?: string } = {}) =>
  s.client.send(new PublishStateMachineVersionCommand({ stateMachineArn, ...extra }));
const update = (stateMachineArn: string, result: unknown, extra: Record<string, unknown> = {}) =>
  s.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: passMachine(result), ...extra }));

const waitForEnd = (executionArn: string) => waitForEndOf(s.client, executionArn);

describe("PublishStateMachineVersion", () => {
  it("numbers versions 1, 2, … and answers a publish of an unchanged machine with its latest version", async () => {
    const machine = await createMachine({ v: 1 });
    const before = Date.now();
    const first = await publish(machine, { description: "first" });
    expect(first.stateMachineVersionArn).toBe(`${machine}:1`);
    expect(first.creationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const again = await publish(machine);
    expect(again).toMatchObject({ stateMachineVersionArn: `${machine}:1`, creationDate: first.creationDate });

    const { revisionId } = await update(machine, { v: 2 });
    const second = await publish(machine, { revisionId: revisionId as string });
    expect(second.stateMachineVersionArn).toBe(`${machine}:2`);
  });

  it("refuses a revision that is no longer the machine's, and machines that are not there", async () => {
    const machine = await createMachine({ v: 1 });
    const { revisionId } = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn: machine }));
    await update(machine, { v: 2 });
    const stale = await rejection(publish(machine, { revisionId: revisionId as string }));
    expect(stale.name).toBe("ConflictException");
    expect(stale.$metadata?.httpStatusCode).toBe(409);
    expect(stale.message).toContain(revisionId);
    expect((await rejection(publish(`${machine}-missing`))).name).toBe("StateMachineDoesNotExist");
    expect((await rejection(publish(`${machine}:1`))).name).toBe("InvalidArn");
  });
});

describe("CreateStateMachine and UpdateStateMachine with publish", () => {
  it("publish a version of what they made, described as AWS describes a version", async () => {
    const name = `published-${++machines}`;
    const created = await s.client.send(
      new CreateStateMachineCommand({
        name,
        definition: passMachine({ v: 1 }),
        roleArn: ROLE_ARN,
        publish: true,
        versionDescription: "v1",
      }),
    );
    expect(created.stateMachineVersionArn).toBe(`${created.stateMachineArn}:1`);
    const machine = created.stateMachineArn as string;
    const updated = await update(machine, { v: 2 }, { publish: true, versionDescription: "v2" });
    expect(updated.stateMachineVersionArn).toBe(`${machine}:2`);
    expect((await update(machine, { v: 3 })).stateMachineVersionArn).toBeUndefined();

    const v1 = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn: `${machine}:1` }));
    const latest = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn: machine }));
    expect(v1).toMatchObject({
      stateMachineArn: `${machine}:1`,
      name,
      status: "ACTIVE",
      definition: passMachine({ v: 1 }),
      roleArn: ROLE_ARN,
      type: "STANDARD",
      description: "v1",
    });
    expect(v1.revisionId).not.toBe(latest.revisionId);
    expect(latest.definition).toBe(passMachine({ v: 3 }));
    const missing = await rejection(s.client.send(new DescribeStateMachineCommand({ stateMachineArn: `${machine}:9` })));
    expect(missing.name).toBe("StateMachineDoesNotExist");
  });

  it("refuse a version description without publish", async () => {
    const error = await rejection(createMachine({ v: 1 }, { versionDescription: "lonely" }));
    expect(error).toMatchObject({ name: "ValidationException", message: "Version description can only be set when publish is true" });
  });
});

describe("ListStateMachineVersions and DeleteStateMachineVersion", () => {
  it("lists newest first, page by page", async () => {
    const machine = await createMachine({ v: 1 });
    for (let v = 1; v <= 5; v++) {
      if (v > 1) await update(machine, { v });
      await publish(machine);
    }
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await s.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: machine, maxResults: 2, nextToken }));
      expect(page.stateMachineVersions!.length).toBeLessThanOrEqual(2);
      for (const version of page.stateMachineVersions!) {
        expect(version.creationDate).toBeInstanceOf(Date);
        arns.push(version.stateMachineVersionArn as string);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    expect(arns).toEqual([5, 4, 3, 2, 1].map((v) => `${machine}:${v}`));
  });

  it("refuses to delete a version an alias routes to, and deletes it once none does", async () => {
    const machine = await createMachine({ v: 1 });
    const { stateMachineVersionArn } = await publish(machine);
    const { stateMachineAliasArn } = await s.client.send(
      new CreateStateMachineAliasCommand({ name: "live", routingConfiguration: [{ stateMachineVersionArn, weight: 100 }] }),
    );
    const refused = await rejection(s.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn })));
    expect(refused.name).toBe("ConflictException");
    expect(refused.message).toContain(stateMachineAliasArn);

    await s.client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
    await s.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn }));
    // As in AWS, a version that is not there any more is deleted all the same.
    await s.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn }));
    const listed = await s.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: machine }));
    expect(listed.stateMachineVersions).toEqual([]);
  });
});

describe("executions through a version", () => {
  it("run the version's definition after the machine changed, and are listed by it", async () => {
    const machine = await createMachine({ v: 1 });
    const { stateMachineVersionArn } = await publish(machine);
    await update(machine, { v: 2 });
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineVersionArn, name: "old" }));
    expect(executionArn).toBe(`${machine.replace(":stateMachine:", ":execution:")}:old`);
    const old = await waitForEnd(executionArn as string);
    expect(old).toMatchObject({ status: "SUCCEEDED", output: '{"v":1}', stateMachineArn: machine, stateMachineVersionArn });
    expect(old.stateMachineAliasArn).toBeUndefined();
    const [started] = (await s.client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(started?.executionStartedEventDetails).toMatchObject({ stateMachineVersionArn });
    expect(started?.executionStartedEventDetails?.stateMachineAliasArn).toBeUndefined();

    const latest = await waitForEnd(
      (await s.client.send(new StartExecutionCommand({ stateMachineArn: machine, name: "new" }))).executionArn as string,
    );
    expect(latest.output).toBe('{"v":2}');
    expect(latest.stateMachineVersionArn).toBeUndefined();

    const byVersion = await s.client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineVersionArn }));
    expect(byVersion.executions!.map((e) => [e.name, e.stateMachineVersionArn])).toEqual([["old", stateMachineVersionArn]]);
    const all = await s.client.send(new ListExecutionsCommand({ stateMachineArn: machine }));
    expect(all.executions!.map((e) => e.name)).toEqual(["new", "old"]);
    const missing = await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn: `${machine}:7` })));
    expect(missing.name).toBe("StateMachineDoesNotExist");
  });

  it("StartSyncExecution runs an EXPRESS machine's version", async () => {
    const machine = await createMachine({ v: 1 }, { type: "EXPRESS", publish: true });
    await update(machine, { v: 2 });
    const answer = await s.client.send(new StartSyncExecutionCommand({ stateMachineArn: `${machine}:1` }));
    expect(answer).toMatchObject({ status: "SUCCEEDED", output: '{"v":1}' });
  });
});

describe("DeleteStateMachine", () => {
  it("removes the machine's versions and aliases", async () => {
    const machine = await createMachine({ v: 1 }, { publish: true });
    const { stateMachineAliasArn } = await s.client.send(
      new CreateStateMachineAliasCommand({
        name: "doomed",
        routingConfiguration: [{ stateMachineVersionArn: `${machine}:1`, weight: 100 }],
      }),
    );
    await s.client.send(new DeleteStateMachineCommand({ stateMachineArn: machine }));
    const versions = await s.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: machine }));
    expect(versions.stateMachineVersions).toEqual([]);
    const alias = await rejection(s.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn })));
    expect(alias.name).toBe("ResourceNotFound");
    const aliases = await rejection(s.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: machine })));
    expect(aliases.name).toBe("StateMachineDoesNotExist");
    const start = await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn: `${machine}:1` })));
    expect(start.name).toBe("StateMachineDoesNotExist");
  });
});
