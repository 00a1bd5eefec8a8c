import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  StartExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, passMachine, ROLE_ARN, rejection, startAwsTestServer } from "./test-server.ts";

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer();
});
afterAll(() => s.close());

const create = (name: string, definition = passMachine(), extra: Record<string, unknown> = {}) =>
  s.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN, ...extra }));

describe("state machines through the AWS SDK", () => {
  it("creates a machine and describes it as AWS does", async () => {
    const before = Date.now();
    const created = await create("orders");
    expect(created.stateMachineArn).toBe("arn:aws:states:us-east-1:123456789012:stateMachine:orders");
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(created.creationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const described = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({
      stateMachineArn: created.stateMachineArn,
      name: "orders",
      status: "ACTIVE",
      definition: passMachine(),
      roleArn: ROLE_ARN,
      type: "STANDARD",
      loggingConfiguration: { level: "OFF", includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
    expect(described.creationDate).toEqual(created.creationDate);
    expect(described.revisionId).toMatch(/[0-9a-f-]{36}/);
  });

  it("CreateStateMachine is idempotent for the same definition and refuses another one with the same name", async () => {
    const first = await create("idempotent");
    const again = await create("idempotent", passMachine(), { roleArn: "arn:aws:iam::123456789012:role/other" });
    expect(again.stateMachineArn).toBe(first.stateMachineArn);
    expect(again.creationDate).toEqual(first.creationDate);
    const error = await rejection(create("idempotent", passMachine({ other: 1 })));
    expect(error.name).toBe("StateMachineAlreadyExists");
    expect(error.message).toBe(`State Machine Already Exists: '${first.stateMachineArn}'`);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it("refuses an invalid definition with InvalidDefinition and the diagnostics", async () => {
    const definition = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: "Nowhere" } } });
    const error = await rejection(create("broken", definition));
    expect(error.name).toBe("InvalidDefinition");
    expect(error.message).toMatch(
      /^Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at \/States\/A\/Next, /,
    );
    expect(error.message).toMatch(/MISSING_END_STATE: [^']+ at \/States'$/);
    expect((await rejection(create("broken", "{not json"))).name).toBe("InvalidDefinition");
  });

  it("refuses an invalid name with InvalidName", async () => {
    const error = await rejection(create("has space"));
    expect(error.name).toBe("InvalidName");
    expect(error.message).toContain("has space");
  });

  it("a request that does not fit the shape is a ValidationException naming the field", async () => {
    const error = await rejection(create("x".repeat(81)));
    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain("at 'name' failed to satisfy constraint: Member must have length less than or equal to 80");
    const missing = await rejection(s.client.send(new CreateStateMachineCommand({ name: "no-role", definition: passMachine() } as never)));
    expect(missing.name).toBe("ValidationException");
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
    const badType = await rejection(create("bad-type", passMachine(), { type: "FAST" }));
    expect(badType.message).toContain("Member must satisfy enum value set: [STANDARD, EXPRESS]");
  });

  it("an EXPRESS machine may not use callbacks or activities", async () => {
    const definition = JSON.stringify({
      StartAt: "T",
      States: {
        T: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: { FunctionName: "f" }, End: true },
      },
    });
    const error = await rejection(create("express-callback", definition, { type: "EXPRESS" }));
    expect(error.name).toBe("InvalidDefinition");
    expect(error.message).toContain(
      "Express state machine does not support '.waitForTaskToken' service integration. at /States/T/Resource",
    );
    await expect(create("standard-callback", definition)).resolves.toBeDefined();
  });

  it("refuses what it does not implement instead of ignoring it", async () => {
    const kms = await rejection(
      create("kms", passMachine(), { encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: "k" } }),
    );
    expect(kms.name).toBe("ValidationException");
    const logging = await rejection(create("logging", passMachine(), { loggingConfiguration: { level: "ALL" } }));
    expect(logging.name).toBe("InvalidLoggingConfiguration");
  });

  it("updates the definition and the role, as a new revision", async () => {
    const { stateMachineArn } = await create("updatable");
    const before = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    const updated = await s.client.send(
      new UpdateStateMachineCommand({ stateMachineArn, definition: passMachine({ v: 2 }), roleArn: "arn:aws:iam::123456789012:role/v2" }),
    );
    expect(updated.updateDate).toBeInstanceOf(Date);
    expect(updated.revisionId).not.toBe(before.revisionId);
    const after = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(after).toMatchObject({
      definition: passMachine({ v: 2 }),
      roleArn: "arn:aws:iam::123456789012:role/v2",
      revisionId: updated.revisionId,
    });
  });

  it("UpdateStateMachine needs something to change and a valid definition", async () => {
    const { stateMachineArn } = await create("update-checks");
    expect((await rejection(s.client.send(new UpdateStateMachineCommand({ stateMachineArn })))).name).toBe("MissingRequiredParameter");
    const invalid = await rejection(
      s.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '{"StartAt":"X","States":{}}' })),
    );
    expect(invalid.name).toBe("InvalidDefinition");
    const missing = await rejection(
      s.client.send(new UpdateStateMachineCommand({ stateMachineArn: `${stateMachineArn}-gone`, roleArn: ROLE_ARN })),
    );
    expect(missing.name).toBe("StateMachineDoesNotExist");
  });

  it("deletes a machine; describing it then is StateMachineDoesNotExist, and deleting again succeeds", async () => {
    const { stateMachineArn } = await create("deletable");
    await s.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const error = await rejection(s.client.send(new DescribeStateMachineCommand({ stateMachineArn })));
    expect(error.name).toBe("StateMachineDoesNotExist");
    expect(error.message).toBe(`State Machine Does Not Exist: '${stateMachineArn}'`);
    await expect(s.client.send(new DeleteStateMachineCommand({ stateMachineArn }))).resolves.toBeDefined();
    // The name is free again.
    await expect(create("deletable", passMachine({ second: true }))).resolves.toBeDefined();
  });

  it("a machine deleted while an execution runs is DELETING until the execution ends", async () => {
    const waiting = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
    const { stateMachineArn } = await create("busy", waiting);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn }));
    await s.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const described = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.status).toBe("DELETING");
    const start = await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn })));
    expect(["StateMachineDoesNotExist", "StateMachineDeleting"]).toContain(start.name);
    await s.t.runtime.engine.stop(executionArn!);
    expect((await rejection(s.client.send(new DescribeStateMachineCommand({ stateMachineArn })))).name).toBe("StateMachineDoesNotExist");
  });

  it("ARNs that are not state machine ARNs are InvalidArn", async () => {
    const notArn = await rejection(s.client.send(new DescribeStateMachineCommand({ stateMachineArn: "orders" })));
    expect(notArn.name).toBe("InvalidArn");
    expect(notArn.message).toBe("Invalid Arn: 'Invalid ARN prefix: orders'");
    const activity = await rejection(
      s.client.send(new DescribeStateMachineCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:activity:a" })),
    );
    expect(activity.message).toBe("Invalid Arn: 'Resource type not valid in this context: activity'");
  });

  it("lists machines by name, page by page", async () => {
    for (const name of ["page-a", "page-b", "page-c", "page-d", "page-e"]) await create(name);
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await s.client.send(new ListStateMachinesCommand({ maxResults: 2, nextToken }));
      expect(page.stateMachines!.length).toBeLessThanOrEqual(2);
      for (const m of page.stateMachines!) {
        expect(m).toMatchObject({ type: "STANDARD" });
        expect(m.creationDate).toBeInstanceOf(Date);
        names.push(m.name!);
      }
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThan(2);
    expect(names.filter((n) => n.startsWith("page-"))).toEqual(["page-a", "page-b", "page-c", "page-d", "page-e"]);
    expect(names).toEqual([...names].sort());
    const bad = await rejection(s.client.send(new ListStateMachinesCommand({ nextToken: "not-a-token" })));
    expect(bad.name).toBe("InvalidToken");
  });
});

describe("tags", () => {
  it("tags given at creation, added, replaced and removed", async () => {
    const { stateMachineArn } = await create("tagged", passMachine(), { tags: [{ key: "team", value: "payments" }] });
    const list = async () => (await s.client.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags;
    expect(await list()).toEqual([{ key: "team", value: "payments" }]);
    await s.client.send(
      new TagResourceCommand({
        resourceArn: stateMachineArn,
        tags: [
          { key: "team", value: "billing" },
          { key: "env", value: "prod" },
        ],
      }),
    );
    expect(await list()).toEqual([
      { key: "team", value: "billing" },
      { key: "env", value: "prod" },
    ]);
    await s.client.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ["team"] }));
    expect(await list()).toEqual([{ key: "env", value: "prod" }]);
  });

  it("unknown resources are ResourceNotFound and bad ARNs InvalidArn", async () => {
    const missing = await rejection(
      s.client.send(new ListTagsForResourceCommand({ resourceArn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope" })),
    );
    expect(missing.name).toBe("ResourceNotFound");
    expect((await rejection(s.client.send(new TagResourceCommand({ resourceArn: "nope", tags: [] })))).name).toBe("InvalidArn");
  });

  it("more than 50 tags is TooManyTags", async () => {
    const { stateMachineArn } = await create("many-tags");
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect((await rejection(s.client.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags })))).name).toBe("TooManyTags");
    expect(await rejection(create("many-tags-2", passMachine(), { tags }))).toMatchObject({ name: "TooManyTags" });
  });
});

describe("ValidateStateMachineDefinition", () => {
  it("answers OK with no diagnostics for a valid definition", async () => {
    const result = await s.client.send(new ValidateStateMachineDefinitionCommand({ definition: passMachine() }));
    expect(result).toMatchObject({ result: "OK", diagnostics: [], truncated: false });
  });

  it("answers FAIL with every error, located", async () => {
    const definition = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, C: { Type: "Task", End: true } } });
    const result = await s.client.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(result.result).toBe("FAIL");
    expect(result.diagnostics).toContainEqual({
      severity: "ERROR",
      code: "MISSING_TRANSITION_TARGET",
      message: "Missing 'Next' target: B",
      location: "/States/A/Next",
    });
    expect(result.diagnostics!.length).toBe(3);
    const truncated = await s.client.send(new ValidateStateMachineDefinitionCommand({ definition, maxResults: 1 }));
    expect(truncated.diagnostics).toHaveLength(1);
    expect(truncated.truncated).toBe(true);
  });

  it("checks EXPRESS rules when asked for that type", async () => {
    const definition = JSON.stringify({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: "arn:aws:states:us-east-1:123456789012:activity:a", End: true } },
    });
    expect((await s.client.send(new ValidateStateMachineDefinitionCommand({ definition }))).result).toBe("OK");
    const express = await s.client.send(new ValidateStateMachineDefinitionCommand({ definition, type: "EXPRESS" }));
    expect(express.result).toBe("FAIL");
    expect(express.diagnostics![0]!.message).toBe("Express state machine does not support Activity ARN");
  });
});
