import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachineAliasesCommand,
  type RoutingConfigurationListItem,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, passMachine, ROLE_ARN, rejection, startAwsTestServer } from "./test-server.ts";

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer();
});
afterAll(() => s.close());

let machines = 0;
/** A machine whose version 1 passes `{"v":1}` and version 2 `{"v":2}`. */
async function givenTwoVersions(): Promise<{ machine: string; v1: string; v2: string }> {
  const name = `aliased-${++machines}`;
  const { stateMachineArn } = await s.client.send(
    new CreateStateMachineCommand({ name, definition: passMachine({ v: 1 }), roleArn: ROLE_ARN, publish: true }),
  );
  const machine = stateMachineArn as string;
  await s.client.send(new UpdateStateMachineCommand({ stateMachineArn: machine, definition: passMachine({ v: 2 }), publish: true }));
  return { machine, v1: `${machine}:1`, v2: `${machine}:2` };
}

const routing = (...entries: [string, number][]): RoutingConfigurationListItem[] =>
  entries.map(([stateMachineVersionArn, weight]) => ({ stateMachineVersionArn, weight }));
const createAlias = (name: string, routingConfiguration: RoutingConfigurationListItem[], description?: string) =>
  s.client.send(new CreateStateMachineAliasCommand({ name, routingConfiguration, ...(description !== undefined ? { description } : {}) }));

describe("aliases through the AWS SDK", () => {
  it("are created, described, updated, listed and deleted as AWS does", async () => {
    const { machine, v1, v2 } = await givenTwoVersions();
    const created = await createAlias("live", routing([v1, 100]), "the one in use");
    expect(created.stateMachineAliasArn).toBe(`${machine}:live`);
    const again = await createAlias("live", routing([v1, 100]), "the one in use");
    expect(again).toEqual(
      expect.objectContaining({ stateMachineAliasArn: created.stateMachineAliasArn, creationDate: created.creationDate }),
    );
    expect((await rejection(createAlias("live", routing([v2, 100]), "the one in use"))).name).toBe("ConflictException");

    const stateMachineAliasArn = created.stateMachineAliasArn as string;
    const described = await s.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }));
    expect(described).toMatchObject({
      stateMachineAliasArn,
      name: "live",
      description: "the one in use",
      routingConfiguration: routing([v1, 100]),
      creationDate: created.creationDate,
      updateDate: created.creationDate,
    });

    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await s.client.send(
      new UpdateStateMachineAliasCommand({ stateMachineAliasArn, routingConfiguration: routing([v1, 10], [v2, 90]) }),
    );
    expect(updated.updateDate!.getTime()).toBeGreaterThan(created.creationDate!.getTime());
    const after = await s.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }));
    expect(after).toMatchObject({
      description: "the one in use",
      routingConfiguration: routing([v1, 10], [v2, 90]),
      updateDate: updated.updateDate,
    });
    const nothing = await rejection(s.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn })));
    expect(nothing.name).toBe("ValidationException");

    await createAlias("canary", routing([v2, 100]));
    const listed = await s.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: machine, maxResults: 1 }));
    expect(listed.stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([`${machine}:canary`]);
    const rest = await s.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: machine, nextToken: listed.nextToken }));
    expect(rest.stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([stateMachineAliasArn]);
    expect(rest.nextToken).toBeUndefined();
    const ofV1 = await s.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: v1 }));
    expect(ofV1.stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([stateMachineAliasArn]);

    await s.client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
    const gone = await rejection(s.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn })));
    expect(gone.name).toBe("ResourceNotFound");
    expect((await rejection(s.client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn })))).name).toBe("ResourceNotFound");
  });

  it("refuse routings AWS refuses: weights, other machines' versions, missing versions, bad names", async () => {
    const { machine, v1, v2 } = await givenTwoVersions();
    const other = await givenTwoVersions();
    const refusal = async (name: string, entries: RoutingConfigurationListItem[]) => {
      const error = await rejection(createAlias(name, entries));
      return { name: error.name, message: error.message };
    };
    expect(await refusal("a", routing([v1, 50], [v2, 40]))).toEqual({
      name: "ValidationException",
      message: "Sum of routing configuration weights must be equal to 100",
    });
    expect(await refusal("a", routing([v1, 50], [other.v2, 50]))).toEqual({
      name: "ValidationException",
      message: "Routing configuration must contain versions of the same state machine",
    });
    expect((await refusal("a", routing([v1, 50], [v1, 50]))).name).toBe("ValidationException");
    expect((await refusal("a", routing([v1, 50], [v2, 25], [v2, 25]))).message).toMatch(/Member must have length less than or equal to 2/);
    expect((await refusal("a", routing([v1, 101]))).name).toBe("ValidationException");
    expect(await refusal("a", routing([`${machine}:9`, 100]))).toEqual({
      name: "ResourceNotFound",
      message: `Resource not found: '${machine}:9'`,
    });
    expect((await refusal("a", routing([machine, 100]))).name).toBe("InvalidArn");
    for (const bad of ["123", "with space", "x".repeat(81), "a:b"]) {
      const refused = await refusal(bad, routing([v1, 100]));
      expect(refused.name, bad).toBe("ValidationException");
    }
    const update = await rejection(
      s.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${machine}:none`, description: "x" })),
    );
    expect(update.name).toBe("ResourceNotFound");
  });
});

describe("executions through an alias", () => {
  it("run the version its routing picks, and are described and listed with the alias and the version", async () => {
    const { machine, v1, v2 } = await givenTwoVersions();
    const { stateMachineAliasArn: allFirst } = await createAlias("all-first", routing([v1, 100], [v2, 0]));
    const { stateMachineAliasArn: allSecond } = await createAlias("all-second", routing([v1, 0], [v2, 100]));
    const start = async (stateMachineArn: string | undefined, name: string) => {
      const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, name }));
      return s.client.send(new DescribeExecutionCommand({ executionArn }));
    };
    for (let i = 0; i < 5; i++) {
      expect(await start(allFirst, `first-${i}`)).toMatchObject({
        stateMachineArn: machine,
        stateMachineVersionArn: v1,
        stateMachineAliasArn: allFirst,
      });
      expect(await start(allSecond, `second-${i}`)).toMatchObject({ stateMachineVersionArn: v2, stateMachineAliasArn: allSecond });
    }
    const listed = await s.client.send(new ListExecutionsCommand({ stateMachineArn: allFirst, maxResults: 3 }));
    expect(listed.executions).toHaveLength(3);
    for (const execution of listed.executions!) {
      expect(execution).toMatchObject({ stateMachineVersionArn: v1, stateMachineAliasArn: allFirst });
      expect(execution.name).toMatch(/^first-/);
    }
    const byV2 = await s.client.send(new ListExecutionsCommand({ stateMachineArn: v2 }));
    expect(byV2.executions!.map((e) => e.name).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `second-${i}`));
    // The history's first event says what it was started through, as AWS's does.
    const [firstEvent] = (await s.client.send(new GetExecutionHistoryCommand({ executionArn: listed.executions![0]!.executionArn! })))
      .events!;
    expect(firstEvent?.executionStartedEventDetails).toMatchObject({ stateMachineVersionArn: v1, stateMachineAliasArn: allFirst });
  });

  it("split by weight land on both versions", async () => {
    const { v1, v2 } = await givenTwoVersions();
    const { stateMachineAliasArn } = await createAlias("half", routing([v1, 50], [v2, 50]));
    const started = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        s.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn, name: `half-${i}` })),
      ),
    );
    const versions = new Set<string | undefined>();
    for (const { executionArn } of started) {
      versions.add((await s.client.send(new DescribeExecutionCommand({ executionArn }))).stateMachineVersionArn);
    }
    // All 40 on the same version would have a chance of 2^-39.
    expect([...versions].sort()).toEqual([v1, v2]);
  });
});
