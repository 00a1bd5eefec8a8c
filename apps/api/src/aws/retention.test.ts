import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  TagResourceCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, passMachine, ROLE_ARN, rejection, startAwsTestServer, waitForEnd } from "./test-server.ts";

let s: AwsTestServer;
beforeAll(async () => {
  // The scheduler looks for expired executions every 200 ms here (a minute by default).
  s = await startAwsTestServer({ worker: { handlers: {} }, runtimeEnv: { STEPWISE_EXPIRY_INTERVAL_MS: "200" } });
});
afterAll(() => s.close());

async function createMachine(name: string, tags: Array<{ key: string; value: string }> = []): Promise<string> {
  const out = await s.client.send(new CreateStateMachineCommand({ name, definition: passMachine(), roleArn: ROLE_ARN, tags }));
  return out.stateMachineArn as string;
}

async function runToEnd(stateMachineArn: string): Promise<string> {
  const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
  await waitForEnd(s.client, executionArn as string);
  return executionArn as string;
}

describe("executions past their retention period", () => {
  it("a machine tagged stepwise:retention=1s has its closed executions deleted by the scheduler; others stay", async () => {
    const shortLived = await createMachine("short-lived", [{ key: "stepwise:retention", value: "1s" }]);
    const kept = await createMachine("kept");
    const expiring = await runToEnd(shortLived);
    const staying = await runToEnd(kept);

    const deadline = Date.now() + 15_000;
    let gone: Error | undefined;
    while (!gone && Date.now() < deadline) {
      gone = await s.client.send(new DescribeExecutionCommand({ executionArn: expiring })).then(
        () => undefined,
        (error: Error) => error,
      );
      if (!gone) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(gone?.name).toBe("ExecutionDoesNotExist");
    expect((await rejection(s.client.send(new GetExecutionHistoryCommand({ executionArn: expiring })))).name).toBe("ExecutionDoesNotExist");
    expect((await s.client.send(new DescribeExecutionCommand({ executionArn: staying }))).status).toBe("SUCCEEDED");
  });

  it("a retention tag that is not a period is refused, naming the tag", async () => {
    const created = await rejection(createMachine("bad-retention", [{ key: "stepwise:retention", value: "ninety days" }]));
    expect(created.name).toBe("ValidationException");
    expect(created.message).toContain("'stepwise:retention': 'ninety days'");

    const machine = await createMachine("to-tag");
    const tagged = await rejection(
      s.client.send(new TagResourceCommand({ resourceArn: machine, tags: [{ key: "stepwise:retention", value: "0d" }] })),
    );
    expect(tagged.name).toBe("ValidationException");
    expect(tagged.message).toContain("'stepwise:retention': '0d'");
  });
});
