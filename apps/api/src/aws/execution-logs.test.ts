/**
 * Execution logs as AWS's LoggingConfiguration sets them: a machine's executions write one CloudWatch
 * Logs record per history event its level covers, here to STEPWISE_EXECUTION_LOG_FILE, which the test
 * reads back. Records of each execution are compared with its own history (GetExecutionHistory).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type LoggingConfiguration,
  RedriveExecutionCommand,
  StartExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { type ExecutionLogRecord, TaskFailure } from "@stepwise/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, ROLE_ARN, rejection, startAwsTestServer, waitForEnd } from "./test-server.ts";

const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/stepwise/orders:*";
const logging = (level: "ALL" | "ERROR" | "FATAL" | "OFF", includeExecutionData = true): LoggingConfiguration => ({
  level,
  includeExecutionData,
  destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: LOG_GROUP } }],
});

/** Takes a payment: a Pass, then a Task that fails when the card has expired. */
const PAYMENT = JSON.stringify({
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Next: "Charge" },
    Charge: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", End: true },
  },
});
const OK = '{"card":"valid","amount":12}';
const EXPIRED = '{"card":"expired","amount":12}';

type LogRecord = ExecutionLogRecord;

let s: AwsTestServer;
/** The card company stops declining expired cards (so a redriven payment goes through). */
let declineExpired = true;
let dir: string;
let file: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stepwise-execution-log-"));
  file = join(dir, "executions.log");
  s = await startAwsTestServer({
    runtimeEnv: { STEPWISE_EXECUTION_LOG_FILE: file },
    worker: {
      handlers: {
        charge: (input) => {
          if ((input as { card: string }).card === "expired" && declineExpired) throw new TaskFailure("Payment.Declined", "card expired");
          return { charged: (input as { amount: number }).amount };
        },
      },
    },
  });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

let machines = 0;
async function machine(loggingConfiguration?: LoggingConfiguration, type: "STANDARD" | "EXPRESS" = "STANDARD"): Promise<string> {
  const name = `payments-${++machines}`;
  const out = await s.client.send(
    new CreateStateMachineCommand({ name, definition: PAYMENT, roleArn: ROLE_ARN, type, loggingConfiguration }),
  );
  return out.stateMachineArn as string;
}

async function run(stateMachineArn: string, input: string): Promise<string> {
  const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input }));
  await waitForEnd(s.client, executionArn as string);
  return executionArn as string;
}

function allRecords(): LogRecord[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LogRecord);
}

/** The execution's records once the one of `lastType` is written (records go out after commit, off the engine's path). */
async function recordsOf(executionArn: string, lastType: string): Promise<LogRecord[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const records = allRecords().filter((r) => r.execution_arn === executionArn);
    if (records.some((r) => r.type === lastType)) return records;
    if (Date.now() > deadline) throw new Error(`no ${lastType} record for ${executionArn}: ${JSON.stringify(records)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The records of an execution that should log nothing. A later execution of a machine logging ALL is
 * waited for first: its records are written after anything the first one wrote.
 */
async function settledRecordsOf(executionArn: string): Promise<LogRecord[]> {
  const marker = await run(await machine(logging("ALL")), OK);
  await recordsOf(marker, "ExecutionSucceeded");
  return allRecords().filter((r) => r.execution_arn === executionArn);
}

async function history(executionArn: string) {
  const out = await s.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return out.events ?? [];
}

describe("execution logs (LoggingConfiguration)", () => {
  it("ALL logs every history event of a Standard execution as AWS's CloudWatch Logs record, payloads included", async () => {
    const executionArn = await run(await machine(logging("ALL")), OK);
    const records = await recordsOf(executionArn, "ExecutionSucceeded");
    const events = await history(executionArn);
    expect(records.map((r) => r.type)).toEqual(events.map((e) => e.type));
    expect(records.map((r) => r.id)).toEqual(events.map((e) => String(e.id)));
    expect(records.map((r) => r.previous_event_id)).toEqual(events.map((e) => String(e.previousEventId)));
    expect(records.map((r) => r.event_timestamp)).toEqual(events.map((e) => String(e.timestamp?.getTime())));
    expect(records[0]).toEqual({
      id: "1",
      type: "ExecutionStarted",
      details: { input: OK, inputDetails: { truncated: false }, roleArn: ROLE_ARN, stateMachineArn: expect.any(String) },
      previous_event_id: "0",
      event_timestamp: String(events[0]?.timestamp?.getTime()),
      execution_arn: executionArn,
      redrive_count: "0",
    });
    const succeeded = records.at(-1) as LogRecord;
    expect(JSON.parse(succeeded.details.output as string)).toEqual({ charged: 12 });
    expect(succeeded.details.outputDetails).toEqual({ truncated: false });
  });

  it("includeExecutionData false logs the same events without their inputs, outputs or parameters", async () => {
    const executionArn = await run(await machine(logging("ALL", false)), EXPIRED);
    const records = await recordsOf(executionArn, "ExecutionFailed");
    expect(records.map((r) => r.type)).toEqual((await history(executionArn)).map((e) => e.type));
    for (const record of records) {
      for (const field of ["input", "inputDetails", "output", "outputDetails", "parameters"])
        expect(record.details).not.toHaveProperty(field);
    }
    expect(records.find((r) => r.type === "LambdaFunctionScheduled")?.details).toEqual({
      resource: "arn:aws:lambda:us-east-1:123456789012:function:charge",
    });
    expect(records.at(-1)?.details).toEqual({ error: "Payment.Declined", cause: "card expired" });
  });

  it("ERROR logs the failure events only, and nothing of an execution that succeeds", async () => {
    const stateMachineArn = await machine(logging("ERROR"));
    const failed = await run(stateMachineArn, EXPIRED);
    const records = await recordsOf(failed, "ExecutionFailed");
    expect(records.map((r) => r.type)).toEqual(["LambdaFunctionFailed", "ExecutionFailed"]);
    expect(records[0]?.details).toMatchObject({ error: "Payment.Declined", cause: "card expired" });
    const succeeded = await run(stateMachineArn, OK);
    expect(await settledRecordsOf(succeeded)).toEqual([]);
  });

  it("FATAL logs only the event that fails the execution", async () => {
    const failed = await run(await machine(logging("FATAL")), EXPIRED);
    const records = await recordsOf(failed, "ExecutionFailed");
    expect(records.map((r) => r.type)).toEqual(["ExecutionFailed"]);
    const events = await history(failed);
    expect(records[0]?.id).toBe(String(events.at(-1)?.id));
  });

  it("OFF, and no LoggingConfiguration at all, log nothing", async () => {
    const off = await run(await machine(logging("OFF")), EXPIRED);
    const unset = await run(await machine(), EXPIRED);
    expect(await settledRecordsOf(off)).toEqual([]);
    expect(await settledRecordsOf(unset)).toEqual([]);
  });

  it("an Express execution, which keeps no history, is seen through its log records", async () => {
    const executionArn = await run(await machine(logging("ALL"), "EXPRESS"), OK);
    const records = await recordsOf(executionArn, "ExecutionSucceeded");
    expect(records.map((r) => r.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(records.map((r) => r.id)).toEqual(records.map((_, i) => String(i + 1)));
    expect(records[0]?.details.input).toBe(OK);
    expect(JSON.parse(records.at(-1)?.details.output as string)).toEqual({ charged: 12 });
  });

  it("an Express execution honours the level and includeExecutionData too", async () => {
    const executionArn = await run(await machine(logging("ERROR", false), "EXPRESS"), EXPIRED);
    const records = await recordsOf(executionArn, "ExecutionFailed");
    expect(records.map((r) => r.type)).toEqual(["LambdaFunctionFailed", "ExecutionFailed"]);
    expect(records.at(-1)?.details).toEqual({ error: "Payment.Declined", cause: "card expired" });
  });

  it("DescribeStateMachine returns the configuration, and UpdateStateMachine changes what new executions log", async () => {
    const stateMachineArn = await machine(logging("ALL", false));
    const described = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.loggingConfiguration).toEqual(logging("ALL", false));
    await s.client.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: logging("FATAL") }));
    const updated = await s.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(updated.loggingConfiguration).toEqual(logging("FATAL"));
    const executionArn = await run(stateMachineArn, EXPIRED);
    expect((await recordsOf(executionArn, "ExecutionFailed")).map((r) => r.type)).toEqual(["ExecutionFailed"]);
  });

  it("a redriven execution logs ExecutionRedriven and its later events with the new redrive_count", async () => {
    const executionArn = await run(await machine(logging("ALL")), EXPIRED);
    await recordsOf(executionArn, "ExecutionFailed");
    declineExpired = false;
    try {
      await s.client.send(new RedriveExecutionCommand({ executionArn }));
      await waitForEnd(s.client, executionArn);
      const records = await recordsOf(executionArn, "ExecutionSucceeded");
      expect(records.map((r) => r.type)).toEqual((await history(executionArn)).map((e) => e.type));
      const redriven = records.findIndex((r) => r.type === "ExecutionRedriven");
      expect(redriven).toBeGreaterThan(0);
      expect(records.slice(0, redriven).every((r) => r.redrive_count === "0")).toBe(true);
      expect(records.slice(redriven).every((r) => r.redrive_count === "1")).toBe(true);
      expect(records[redriven]?.details).toEqual({ redriveCount: 1 });
    } finally {
      declineExpired = true;
    }
  });

  it("refuses a LoggingConfiguration AWS refuses, naming the field", async () => {
    const refused = async (loggingConfiguration: LoggingConfiguration) => {
      const error = await rejection(machine(loggingConfiguration));
      expect(error.name).toBe("InvalidLoggingConfiguration");
      expect(error.$metadata?.httpStatusCode).toBe(400);
      return error.message;
    };
    expect(await refused({ level: "ERROR" })).toBe(
      "Invalid Logging Configuration: Must specify exactly one Log Destination when the level is ERROR. (at loggingConfiguration.destinations)",
    );
    const two = { cloudWatchLogsLogGroup: { logGroupArn: LOG_GROUP } };
    expect(await refused({ level: "ALL", destinations: [two, two] })).toMatch(
      /exactly one Log Destination.*loggingConfiguration\.destinations\)$/,
    );
    expect(
      await refused({
        level: "ALL",
        destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:no-star" } }],
      }),
    ).toMatch(
      /'arn:aws:logs:us-east-1:123456789012:log-group:no-star'.*loggingConfiguration\.destinations\[0\]\.cloudWatchLogsLogGroup\.logGroupArn\)$/,
    );
    expect(await refused({ level: "ALL", destinations: [{}] })).toMatch(/got none.*logGroupArn\)$/);
    const stateMachineArn = await machine();
    const update = await rejection(
      s.client.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: { level: "FATAL" } })),
    );
    expect(update.name).toBe("InvalidLoggingConfiguration");
  });
});
