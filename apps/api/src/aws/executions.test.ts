import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { TaskFailure } from "@stepwise/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, passMachine, ROLE_ARN, rejection, startAwsTestServer, waitForEnd as waitForEndOf } from "./test-server.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const taskMachine = (handler: string) =>
  JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: lambda(handler), End: true } } });
const WAITING = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer({
    router: { syncExecutionTimeoutMs: 1_000 },
    worker: {
      handlers: {
        double: (input) => ({ value: (input as { value: number }).value * 2 }),
        decline: () => {
          throw new TaskFailure("Payment.Declined", "card expired");
        },
        // Outlives the 1 s the sync wait is given here, yet ends soon enough for the worker to close.
        slow: () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 2_000)),
      },
    },
  });
});
afterAll(() => s.close());

let machines = 0;
async function createMachine(definition: string, type: "STANDARD" | "EXPRESS" = "STANDARD"): Promise<string> {
  const out = await s.client.send(new CreateStateMachineCommand({ name: `m${++machines}`, definition, roleArn: ROLE_ARN, type }));
  return out.stateMachineArn!;
}

const waitForEnd = (executionArn: string) => waitForEndOf(s.client, executionArn);

describe("executions through the AWS SDK", () => {
  it("an execution runs on the workers and is described with its output", async () => {
    const stateMachineArn = await createMachine(taskMachine("double"));
    const started = await s.client.send(new StartExecutionCommand({ stateMachineArn, name: "first", input: '{"value":21}' }));
    expect(started.executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:m1:first");
    expect(started.startDate).toBeInstanceOf(Date);
    const done = await waitForEnd(started.executionArn!);
    expect(done).toMatchObject({
      executionArn: started.executionArn,
      stateMachineArn,
      name: "first",
      status: "SUCCEEDED",
      input: '{"value":21}',
      inputDetails: { included: true },
      outputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: "NOT_REDRIVABLE",
    });
    expect(JSON.parse(done.output!)).toEqual({ value: 42 });
    expect(done.startDate).toEqual(started.startDate);
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime());
    const metadataOnly = await s.client.send(
      new DescribeExecutionCommand({ executionArn: started.executionArn, includedData: "METADATA_ONLY" }),
    );
    expect(metadataOnly.input).toBeUndefined();
    expect(metadataOnly.output).toBeUndefined();
    expect(metadataOnly.inputDetails).toEqual({ included: false });
  });

  it("a failing task fails the execution with its error and cause", async () => {
    const stateMachineArn = await createMachine(taskMachine("decline"));
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn }));
    const done = await waitForEnd(executionArn!);
    expect(done).toMatchObject({ status: "FAILED", error: "Payment.Declined", cause: "card expired" });
    expect(done.output).toBeUndefined();
  });

  it("StartExecution is idempotent for the same name and input while running, and ExecutionAlreadyExists otherwise", async () => {
    const stateMachineArn = await createMachine(WAITING);
    const first = await s.client.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: '{"a":1}' }));
    const again = await s.client.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: '{"a":1}' }));
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    const other = await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: '{"a":2}' })));
    expect(other.name).toBe("ExecutionAlreadyExists");
    expect(other.message).toBe(`Execution Already Exists: '${first.executionArn}'`);
    await s.client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    const closed = await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn, name: "once", input: '{"a":1}' })));
    expect(closed.name).toBe("ExecutionAlreadyExists");
  });

  it("refuses bad input, names, ARNs and unknown machines with AWS's errors", async () => {
    const stateMachineArn = await createMachine(passMachine());
    const input = await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn, input: "{not json" })));
    expect(input.name).toBe("InvalidExecutionInput");
    expect(input.message).toMatch(/^Invalid State Machine Execution Input: /);
    expect((await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn, name: "a b" })))).name).toBe("InvalidName");
    expect((await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn: "m1" })))).name).toBe("InvalidArn");
    const unknown = await rejection(s.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}-unknown` })));
    expect(unknown.name).toBe("StateMachineDoesNotExist");
    const missing = await rejection(
      s.client.send(new DescribeExecutionCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:m1:nope" })),
    );
    expect(missing.name).toBe("ExecutionDoesNotExist");
    expect(missing.message).toBe("Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:m1:nope'");
    expect((await rejection(s.client.send(new DescribeExecutionCommand({ executionArn: stateMachineArn })))).name).toBe("InvalidArn");
  });

  it("StopExecution aborts a running execution with the given error and cause", async () => {
    const stateMachineArn = await createMachine(WAITING);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn }));
    const stopped = await s.client.send(new StopExecutionCommand({ executionArn, error: "Operator.Stop", cause: "not needed" }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const described = await s.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described).toMatchObject({ status: "ABORTED", error: "Operator.Stop", cause: "not needed", stopDate: stopped.stopDate });
    expect((await rejection(s.client.send(new StopExecutionCommand({ executionArn: `${executionArn}x` })))).name).toBe(
      "ExecutionDoesNotExist",
    );
  });

  it("lists executions newest first, by status, page by page", async () => {
    const stateMachineArn = await createMachine(WAITING);
    const arns: string[] = [];
    for (let i = 0; i < 5; i++)
      arns.push((await s.client.send(new StartExecutionCommand({ stateMachineArn, name: `e${i}` }))).executionArn!);
    await s.client.send(new StopExecutionCommand({ executionArn: arns[1] }));
    const listed: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await s.client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken }));
      expect(page.executions!.length).toBeLessThanOrEqual(2);
      listed.push(...page.executions!.map((e) => e.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(listed).toEqual([...arns].reverse());
    const aborted = await s.client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "ABORTED" }));
    expect(aborted.executions).toHaveLength(1);
    expect(aborted.executions![0]).toMatchObject({ executionArn: arns[1], name: "e1", status: "ABORTED", stateMachineArn });
    expect(aborted.executions![0]!.stopDate).toBeInstanceOf(Date);
    const running = await s.client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING" }));
    expect(running.executions).toHaveLength(4);
    for (const arn of arns) await s.client.send(new StopExecutionCommand({ executionArn: arn }));
  });

  it("ListExecutions needs a known machine", async () => {
    const unknown = await rejection(
      s.client.send(new ListExecutionsCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope" })),
    );
    expect(unknown.name).toBe("StateMachineDoesNotExist");
    const none = await rejection(s.client.send(new ListExecutionsCommand({})));
    expect(none.name).toBe("ValidationException");
    const badStatus = await rejection(
      s.client.send(
        new ListExecutionsCommand({
          stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:m1",
          statusFilter: "DONE" as never,
        }),
      ),
    );
    expect(badStatus.message).toContain("at 'statusFilter'");
  });

  it("DescribeStateMachineForExecution shows the definition the execution ran, not a later one", async () => {
    const stateMachineArn = await createMachine(WAITING);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn }));
    const before = await s.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(before).toMatchObject({
      stateMachineArn,
      definition: WAITING,
      roleArn: ROLE_ARN,
      loggingConfiguration: { level: "OFF", includeExecutionData: false },
    });
    expect(before.name).toMatch(/^m\d+$/);
    expect(before.updateDate).toBeInstanceOf(Date);
    await s.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: passMachine() }));
    const after = await s.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(after.definition).toBe(WAITING);
    await s.client.send(new StopExecutionCommand({ executionArn }));
  });
});

describe("GetExecutionHistory", () => {
  let executionArn: string;
  let all: HistoryEvent[];
  beforeAll(async () => {
    const definition = JSON.stringify({
      StartAt: "A",
      States: {
        A: { Type: "Pass", Next: "B" },
        B: { Type: "Task", Resource: lambda("double"), Next: "C" },
        C: { Type: "Pass", End: true },
      },
    });
    const stateMachineArn = await createMachine(definition);
    executionArn = (await s.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"value":1}' }))).executionArn!;
    await waitForEnd(executionArn);
    all = (await s.client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
  });

  it("returns the events in AWS's shape, oldest first", () => {
    expect(all.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]!.timestamp).toBeInstanceOf(Date);
    expect(all[0]!.executionStartedEventDetails).toMatchObject({
      input: '{"value":1}',
      inputDetails: { truncated: false },
      roleArn: ROLE_ARN,
    });
    expect(all[1]!.stateEnteredEventDetails).toMatchObject({ name: "A", input: '{"value":1}' });
    expect(JSON.parse(all.at(-1)!.executionSucceededEventDetails!.output!)).toEqual({ value: 2 });
  });

  it("pages through the history with maxResults and nextToken, in both orders", async () => {
    for (const reverseOrder of [false, true]) {
      const paged: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await s.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder, nextToken }));
        expect(page.events!.length).toBeLessThanOrEqual(3);
        paged.push(...page.events!);
        nextToken = page.nextToken;
      } while (nextToken);
      expect(paged.map((e) => e.id)).toEqual((reverseOrder ? [...all].reverse() : all).map((e) => e.id));
    }
  });

  it("a token only continues the listing it came from", async () => {
    const page = await s.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    const error = await rejection(
      s.client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, nextToken: page.nextToken })),
    );
    expect(error.name).toBe("InvalidToken");
  });

  it("includeExecutionData=false leaves inputs and outputs out", async () => {
    const { events } = await s.client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(events![0]!.executionStartedEventDetails).toEqual({ inputDetails: { truncated: false }, roleArn: ROLE_ARN });
    expect(events![1]!.stateEnteredEventDetails).toEqual({ name: "A", inputDetails: { truncated: false } });
    expect(events!.at(-1)!.executionSucceededEventDetails).toEqual({ outputDetails: { truncated: false } });
    expect(events!.every((e) => !JSON.stringify(e).includes('"input"') && !JSON.stringify(e).includes('"output"'))).toBe(true);
  });

  it("an unknown execution is ExecutionDoesNotExist", async () => {
    const error = await rejection(s.client.send(new GetExecutionHistoryCommand({ executionArn: `${executionArn}-nope` })));
    expect(error.name).toBe("ExecutionDoesNotExist");
  });
});

describe("StartSyncExecution", () => {
  const sync = (input: ConstructorParameters<typeof StartSyncExecutionCommand>[0]) => s.client.send(new StartSyncExecutionCommand(input));

  it("runs an EXPRESS execution and answers with its outcome", async () => {
    const stateMachineArn = await createMachine(taskMachine("double"), "EXPRESS");
    const result = await sync({ stateMachineArn, input: '{"value":5}', name: "sync-1" });
    expect(result).toMatchObject({
      stateMachineArn,
      name: "sync-1",
      status: "SUCCEEDED",
      input: '{"value":5}',
      inputDetails: { included: true },
    });
    expect(JSON.parse(result.output!)).toEqual({ value: 10 });
    expect(result.stopDate!.getTime()).toBeGreaterThanOrEqual(result.startDate!.getTime());
  });

  it("answers FAILED with the error of a failed execution", async () => {
    const stateMachineArn = await createMachine(taskMachine("decline"), "EXPRESS");
    const result = await sync({ stateMachineArn });
    expect(result).toMatchObject({ status: "FAILED", error: "Payment.Declined", cause: "card expired" });
    expect(result.output).toBeUndefined();
  });

  it("answers TIMED_OUT when the execution outlives the wait, and stops it", async () => {
    const stateMachineArn = await createMachine(taskMachine("slow"), "EXPRESS");
    const result = await sync({ stateMachineArn });
    expect(result).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    const described = await s.client.send(new DescribeExecutionCommand({ executionArn: result.executionArn }));
    expect(described.status).not.toBe("RUNNING");
  });

  it("is refused for STANDARD machines", async () => {
    const stateMachineArn = await createMachine(passMachine());
    const error = await rejection(sync({ stateMachineArn }));
    expect(error.name).toBe("StateMachineTypeNotSupported");
  });
});
