import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetActivityTaskCommand,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AwsTestServer, ROLE_ARN, rejection, startAwsTestServer } from "./test-server.ts";

/** Tokens handed to the `callback` handler, by the `id` of the execution input. */
const tokens = new Map<string, string>();

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer({
    router: { activityPollMs: 1_500, activityPollIntervalMs: 50, maxActivityPollers: 3 },
    worker: {
      handlers: {
        callback: (input, context) => {
          tokens.set((input as { id: string }).id, context.taskToken as string);
          return undefined;
        },
      },
    },
  });
});
afterAll(() => s.close());

let machines = 0;
async function createMachine(definition: unknown): Promise<string> {
  const out = await s.client.send(
    new CreateStateMachineCommand({ name: `t${++machines}`, definition: JSON.stringify(definition), roleArn: ROLE_ARN }),
  );
  return out.stateMachineArn!;
}

const callbackMachine = (heartbeatSeconds?: number) => ({
  StartAt: "Wait for approval",
  States: {
    "Wait for approval": {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "callback", Payload: { "id.$": "$.id", "token.$": "$$.Task.Token" } },
      ...(heartbeatSeconds === undefined ? {} : { HeartbeatSeconds: heartbeatSeconds }),
      End: true,
    },
  },
});

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const tokenFor = (id: string) => until(() => tokens.get(id), `the task token of ${id}`);
const ended = (executionArn: string) =>
  until(async () => {
    const execution = await s.client.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === "RUNNING" ? undefined : execution;
  }, `the end of ${executionArn}`) as Promise<DescribeExecutionCommandOutput>;

async function startCallback(id: string, heartbeatSeconds?: number): Promise<{ executionArn: string; token: string }> {
  const stateMachineArn = await createMachine(callbackMachine(heartbeatSeconds));
  const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ id }) }));
  return { executionArn: executionArn!, token: await tokenFor(id) };
}

describe("task tokens (.waitForTaskToken)", () => {
  it("SendTaskSuccess completes the task with its output; a second answer is TaskTimedOut", async () => {
    const { executionArn, token } = await startCallback("approve");
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    await s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const done = await ended(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output!)).toEqual({ approved: true });
    const again = await rejection(s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })));
    expect(again.name).toBe("TaskTimedOut");
  });

  it("SendTaskFailure fails the task with the given error and cause", async () => {
    const { executionArn, token } = await startCallback("reject");
    await s.client.send(new SendTaskFailureCommand({ taskToken: token, error: "Approval.Rejected", cause: "over budget" }));
    expect(await ended(executionArn)).toMatchObject({ status: "FAILED", error: "Approval.Rejected", cause: "over budget" });
  });

  it("heartbeats keep a task with HeartbeatSeconds alive", async () => {
    const { executionArn, token } = await startCallback("heartbeat", 1);
    for (let i = 0; i < 6; i++) {
      await s.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const running = await s.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(running.status).toBe("RUNNING");
    await s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '"alive"' }));
    expect(await ended(executionArn)).toMatchObject({ status: "SUCCEEDED", output: '"alive"' });
  });

  it("without heartbeats the task times out, and its token is then TaskTimedOut", async () => {
    const { executionArn, token } = await startCallback("silent", 1);
    expect(await ended(executionArn)).toMatchObject({ status: "FAILED", error: "States.HeartbeatTimeout" });
    expect((await rejection(s.client.send(new SendTaskHeartbeatCommand({ taskToken: token })))).name).toBe("TaskTimedOut");
    expect((await rejection(s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" })))).name).toBe("TaskTimedOut");
  });

  it("unknown and malformed tokens and invalid output are refused by name", async () => {
    const unknown = await rejection(
      s.client.send(new SendTaskSuccessCommand({ taskToken: "00000000-0000-4000-8000-000000000000", output: "{}" })),
    );
    expect(unknown).toMatchObject({ name: "TaskDoesNotExist", message: "Task Does Not Exist" });
    const malformed = await rejection(s.client.send(new SendTaskFailureCommand({ taskToken: "not-a-token" })));
    expect(malformed.name).toBe("InvalidToken");
    expect((await rejection(s.client.send(new SendTaskHeartbeatCommand({ taskToken: "x" })))).name).toBe("InvalidToken");
    const { executionArn, token } = await startCallback("bad-output");
    const invalid = await rejection(s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: "{oops" })));
    expect(invalid.name).toBe("InvalidOutput");
    // Postgres cannot store U+0000: refused, and the task stays open.
    const nul = await rejection(s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"s":"\\u0000"}' })));
    expect(nul.name).toBe("ValidationException");
    const nulError = await rejection(s.client.send(new SendTaskFailureCommand({ taskToken: token, error: "E", cause: "c\u0000" })));
    expect(nulError.name).toBe("ValidationException");
    await s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }));
    expect((await ended(executionArn)).status).toBe("SUCCEEDED");
  });
});

describe("activities", () => {
  it("creates (idempotently), describes, lists page by page and deletes activities", async () => {
    const created = await s.client.send(new CreateActivityCommand({ name: "approve", tags: [{ key: "team", value: "ops" }] }));
    expect(created.activityArn).toBe("arn:aws:states:us-east-1:123456789012:activity:approve");
    const again = await s.client.send(new CreateActivityCommand({ name: "approve" }));
    expect(again).toMatchObject({ activityArn: created.activityArn, creationDate: created.creationDate });
    const described = await s.client.send(new DescribeActivityCommand({ activityArn: created.activityArn }));
    expect(described).toMatchObject({ activityArn: created.activityArn, name: "approve", creationDate: created.creationDate });
    const tags = await s.client.send(new ListTagsForResourceCommand({ resourceArn: created.activityArn }));
    expect(tags.tags).toEqual([{ key: "team", value: "ops" }]);

    for (const name of ["list-a", "list-b", "list-c"]) await s.client.send(new CreateActivityCommand({ name }));
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await s.client.send(new ListActivitiesCommand({ maxResults: 2, nextToken }));
      names.push(...page.activities!.map((a) => a.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(expect.arrayContaining(["approve", "list-a", "list-b", "list-c"]));
    expect(names).toEqual([...names].sort());

    await s.client.send(new DeleteActivityCommand({ activityArn: "arn:aws:states:us-east-1:123456789012:activity:list-c" }));
    const gone = await rejection(
      s.client.send(new DescribeActivityCommand({ activityArn: "arn:aws:states:us-east-1:123456789012:activity:list-c" })),
    );
    expect(gone).toMatchObject({
      name: "ActivityDoesNotExist",
      message: "Activity Does Not Exist: 'arn:aws:states:us-east-1:123456789012:activity:list-c'",
    });
    expect((await rejection(s.client.send(new CreateActivityCommand({ name: "a:b" })))).name).toBe("InvalidName");
    expect((await rejection(s.client.send(new DescribeActivityCommand({ activityArn: "approve" })))).name).toBe("InvalidArn");
  });

  it("a worker polls an activity task with GetActivityTask and completes it", async () => {
    const { activityArn } = await s.client.send(new CreateActivityCommand({ name: "review" }));
    const stateMachineArn = await createMachine({
      StartAt: "Review",
      States: { Review: { Type: "Task", Resource: activityArn, ResultPath: "$.review", End: true } },
    });
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"doc":7}' }));
    const task = await until(async () => {
      const polled = await s.client.send(new GetActivityTaskCommand({ activityArn, workerName: "reviewer-1" }));
      return polled.taskToken ? polled : undefined;
    }, "an activity task");
    expect(JSON.parse(task.input!)).toEqual({ doc: 7 });
    await s.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"ok":true}' }));
    const done = await ended(executionArn!);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output!)).toEqual({ doc: 7, review: { ok: true } });
  });

  it("GetActivityTask waits for a task started while it polls, and answers empty when none comes", async () => {
    const { activityArn } = await s.client.send(new CreateActivityCommand({ name: "long-poll" }));
    const before = Date.now();
    const empty = await s.client.send(new GetActivityTaskCommand({ activityArn }));
    expect(empty.taskToken).toBeUndefined();
    expect(empty.input).toBeUndefined();
    expect(Date.now() - before).toBeGreaterThanOrEqual(1_400);

    const stateMachineArn = await createMachine({ StartAt: "A", States: { A: { Type: "Task", Resource: activityArn, End: true } } });
    const polling = s.client.send(new GetActivityTaskCommand({ activityArn }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"late":true}' }));
    const task = await polling;
    expect(JSON.parse(task.input!)).toEqual({ late: true });
    await s.client.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: "Nope" }));
    expect(await ended(executionArn!)).toMatchObject({ status: "FAILED", error: "Nope" });
  });

  it("a poll whose client hung up stops, and claims no task", async () => {
    const { activityArn } = await s.client.send(new CreateActivityCommand({ name: "hang-up" }));
    const stateMachineArn = await createMachine({ StartAt: "A", States: { A: { Type: "Task", Resource: activityArn, End: true } } });
    const controller = new AbortController();
    const abandoned = s.client.send(new GetActivityTaskCommand({ activityArn }), { abortSignal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(abandoned).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const task = await s.client.send(new GetActivityTaskCommand({ activityArn }));
    expect(task.taskToken).toBeDefined();
    await s.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: "{}" }));
    expect((await ended(executionArn!)).status).toBe("SUCCEEDED");
  });

  it("more concurrent pollers than allowed is ActivityWorkerLimitExceeded; unknown activities ActivityDoesNotExist", async () => {
    const { activityArn } = await s.client.send(new CreateActivityCommand({ name: "crowded" }));
    const polls = [1, 2, 3].map(() => s.client.send(new GetActivityTaskCommand({ activityArn })));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const crowded = await rejection(s.client.send(new GetActivityTaskCommand({ activityArn })));
    expect(crowded.name).toBe("ActivityWorkerLimitExceeded");
    await Promise.all(polls);
    const unknown = await rejection(s.client.send(new GetActivityTaskCommand({ activityArn: `${activityArn}-gone` })));
    expect(unknown.name).toBe("ActivityDoesNotExist");
  });
});
