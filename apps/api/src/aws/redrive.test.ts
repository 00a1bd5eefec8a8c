import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { TaskFailure } from "@stepwise/runtime";
import { executions } from "@stepwise/storage";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, ROLE_ARN, rejection, startAwsTestServer, waitForEnd as waitForEndOf } from "./test-server.ts";

let carrierDown = true;

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer({
    worker: {
      handlers: {
        ship: (input) => {
          if (carrierDown) throw new TaskFailure("Carrier.Down", "503");
          return { shipped: input };
        },
      },
    },
  });
});
afterAll(() => s.close());

let machines = 0;
async function createMachine(definition: object, type: "STANDARD" | "EXPRESS" = "STANDARD"): Promise<string> {
  const out = await s.client.send(
    new CreateStateMachineCommand({ name: `r${++machines}`, definition: JSON.stringify(definition), roleArn: ROLE_ARN, type }),
  );
  return out.stateMachineArn!;
}

const waitForEnd = (executionArn: string) => waitForEndOf(s.client, executionArn);

const redrive = (executionArn: string | undefined, clientToken?: string) =>
  s.client.send(new RedriveExecutionCommand({ executionArn, ...(clientToken === undefined ? {} : { clientToken }) }));

const shipping = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Result: { box: 1 }, ResultPath: "$.prepared", Next: "Ship" },
    Ship: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:ship", End: true },
  },
};
const WAITING = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } };

describe("RedriveExecution through the AWS SDK", () => {
  it("runs a failed execution again from its failed state once the task works, and only once it has closed", async () => {
    const stateMachineArn = await createMachine(shipping);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"order":7}' }));
    const failed = await waitForEnd(executionArn!);
    expect(failed).toMatchObject({ status: "FAILED", error: "Carrier.Down", redriveCount: 0, redriveStatus: "REDRIVABLE" });
    expect(failed.redriveStatusReason).toBeUndefined();

    carrierDown = false;
    const { redriveDate } = await redrive(executionArn, "retry-after-carrier-fix");
    expect(redriveDate).toBeInstanceOf(Date);
    expect(redriveDate!.getTime()).toBeGreaterThanOrEqual(failed.stopDate!.getTime());

    const done = await waitForEnd(executionArn!);
    expect(done).toMatchObject({
      status: "SUCCEEDED",
      redriveCount: 1,
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is SUCCEEDED and cannot be redriven",
    });
    expect(done.error).toBeUndefined();
    expect(JSON.parse(done.output!)).toEqual({ shipped: { order: 7, prepared: { box: 1 } } });

    const { events } = await s.client.send(new GetExecutionHistoryCommand({ executionArn }));
    const redriven = events!.find((e) => e.type === "ExecutionRedriven");
    expect(redriven?.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(events!.filter((e) => e.type === "PassStateEntered")).toHaveLength(1);

    const redrivenOnly = await s.client.send(new ListExecutionsCommand({ stateMachineArn, redriveFilter: "REDRIVEN" }));
    expect(redrivenOnly.executions!.map((e) => e.executionArn)).toEqual([executionArn]);

    const again = await rejection(redrive(executionArn));
    expect(again.name).toBe("ExecutionNotRedrivable");
    expect(again.$metadata?.httpStatusCode).toBe(400);
  });

  it("answers a repeated client token with the first redrive's date and redrives once; DescribeExecution reports that date", async () => {
    carrierDown = true;
    const stateMachineArn = await createMachine(shipping);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"order":8}' }));
    await waitForEnd(executionArn!);
    carrierDown = false;
    const first = await redrive(executionArn, "fix-carrier");
    const repeated = await redrive(executionArn, "fix-carrier");
    expect(repeated.redriveDate).toEqual(first.redriveDate);

    const done = await waitForEnd(executionArn!);
    expect(done).toMatchObject({ status: "SUCCEEDED", redriveCount: 1, redriveDate: first.redriveDate });
    expect((await redrive(executionArn, "fix-carrier")).redriveDate).toEqual(first.redriveDate);
    const { events } = await s.client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.filter((e) => e.type === "ExecutionRedriven")).toHaveLength(1);
  });

  it("reports and refuses an execution whose redrivable period of 14 days is over", async () => {
    carrierDown = true;
    const stateMachineArn = await createMachine(shipping);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn }));
    await waitForEnd(executionArn!);
    await s.t.runtime.db
      .update(executions)
      .set({ stopDate: new Date(Date.now() - 15 * 24 * 3600 * 1000) })
      .where(eq(executions.arn, executionArn!));
    expect(await s.client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: "FAILED",
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution redrivable period exceeded",
    });
    const refused = await rejection(redrive(executionArn));
    expect(refused.name).toBe("ExecutionNotRedrivable");
    expect(refused.message).toBe("Execution redrivable period exceeded");
  });

  it("redrives an aborted execution, and refuses a running one", async () => {
    const stateMachineArn = await createMachine(WAITING);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn }));
    expect((await rejection(redrive(executionArn))).name).toBe("ExecutionNotRedrivable");
    await s.client.send(new StopExecutionCommand({ executionArn }));
    expect(await s.client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: "ABORTED",
      redriveStatus: "REDRIVABLE",
    });

    await redrive(executionArn);
    const running = await s.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(running).toMatchObject({
      status: "RUNNING",
      redriveCount: 1,
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "Execution is RUNNING and cannot be redriven",
    });
    expect(running.stopDate).toBeUndefined();
    await s.client.send(new StopExecutionCommand({ executionArn }));
  });

  it("refuses executions of EXPRESS machines", async () => {
    const stateMachineArn = await createMachine({ StartAt: "F", States: { F: { Type: "Fail", Error: "Nope" } } }, "EXPRESS");
    const { executionArn, status } = await s.client.send(new StartSyncExecutionCommand({ stateMachineArn }));
    expect(status).toBe("FAILED");
    expect(await s.client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ redriveStatus: "NOT_REDRIVABLE" });
    expect((await rejection(redrive(executionArn))).name).toBe("ExecutionNotRedrivable");
  });

  it("answers unknown executions, malformed ARNs and bad client tokens with AWS's errors", async () => {
    const unknownArn = "arn:aws:states:us-east-1:123456789012:execution:r1:nobody";
    const unknown = await rejection(redrive(unknownArn));
    expect(unknown.name).toBe("ExecutionDoesNotExist");
    expect(unknown.message).toBe(`Execution Does Not Exist: '${unknownArn}'`);
    expect((await rejection(redrive("not-an-arn"))).name).toBe("InvalidArn");
    const machineArn = await rejection(redrive("arn:aws:states:us-east-1:123456789012:stateMachine:r1"));
    expect(machineArn.name).toBe("InvalidArn");
    expect(machineArn.message).toBe("Invalid Arn: 'Resource type not valid in this context: statemachine'");
    expect((await rejection(redrive(undefined))).name).toBe("ValidationException");
    const token = await rejection(redrive(unknownArn, "has space"));
    expect(token.name).toBe("ValidationException");
    expect(token.message).toContain("at 'clientToken'");
    expect((await rejection(redrive(unknownArn, "t".repeat(65)))).message).toContain("Member must have length less than or equal to 64");
  });
});
