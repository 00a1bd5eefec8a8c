/**
 * Task workers over HTTP, as a worker in another language lives them: it long polls for its handlers'
 * tasks, answers them with their lease, keeps them with heartbeats, and when it dies its task goes to
 * another worker. No handler of these runs in the test's worker process, so every task goes through its
 * queue to the pollers, as in a separate pool.
 */
import { getExecution, getHistory } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const enc = encodeURIComponent;
/** Short, so a dead poller's task comes back within the test; heartbeats come every lock/6. */
const LOCK_MS = 3000;

interface Task {
  leaseToken: string;
  handler: string;
  input: unknown;
  executionArn: string;
  stateName: string;
  taskId: string;
  taskToken?: string;
  leaseSeconds: number;
}

const oneTask = (handler: string, extra: object = {}) => ({
  StartAt: "Work",
  States: { Work: { Type: "Task", Resource: fn(handler), End: true, ...extra } },
});

describe("REST /v1/tasks/poll: task workers in any language", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({
      runtimeEnv: {
        STEPWISE_JOB_LOCK_MS: String(LOCK_MS),
        STEPWISE_TASK_LIMITS: JSON.stringify({ "one-at-a-time": { concurrency: 1 }, "one-per-second": { perSecond: 1 } }),
      },
    });
    const machines: Record<string, object> = {
      greet: oneTask("greet"),
      slow: oneTask("slow"),
      held: oneTask("held"),
      limited: oneTask("one-at-a-time"),
      paced: oneTask("one-per-second"),
      "short-timeout": oneTask("stalls", { TimeoutSeconds: 1 }),
      retried: oneTask("flaky", {
        Retry: [{ ErrorEquals: ["Flaky.Error"], IntervalSeconds: 1, MaxAttempts: 2 }],
      }),
      approve: {
        StartAt: "Ask",
        States: {
          Ask: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
            Parameters: { FunctionName: "approver", Payload: { "token.$": "$$.Task.Token" } },
            End: true,
          },
        },
      },
    };
    for (const [name, definition] of Object.entries(machines)) {
      expect((await api.call("POST", "/state-machines", { name, definition })).status).toBe(201);
    }
  });
  afterAll(() => api.close());

  const start = async (machine: string, input: unknown = {}) =>
    (await api.call("POST", `/state-machines/${machine}/executions`, { input })).body.executionArn as string;
  const poll = async (handlers: string[], options: { waitSeconds?: number; maxTasks?: number } = {}): Promise<Task[]> => {
    const res = await api.call("POST", "/tasks/poll", { handlers, workerId: "test-worker", waitSeconds: 20, ...options });
    expect(res.status).toBe(200);
    return res.body.tasks as Task[];
  };
  const answer = (task: Task, action: "complete" | "fail" | "heartbeat", body?: unknown) =>
    api.call("POST", `/tasks/${enc(task.leaseToken)}/${action}`, body ?? {});
  const output = async (executionArn: string) => {
    const { execution } = await api.t.waitFor(executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    return JSON.parse(execution.output as string);
  };
  const waitingTasks = (handler: string) => api.t.runtime.queues.taskQueue(handler).getWaitingCount();

  it("hands a worker waiting in a poll the task queued meanwhile; its output ends the state, and a second answer is refused", async () => {
    const polling = poll(["greet"]);
    const executionArn = await start("greet", { name: "Ada" });
    const [task, ...more] = await polling;
    expect(more).toEqual([]);
    expect(task).toMatchObject({ handler: "greet", input: { name: "Ada" }, executionArn, stateName: "Work", leaseSeconds: LOCK_MS / 1000 });
    expect(task?.taskToken).toBeUndefined();

    expect(await answer(task as Task, "complete", { output: { greeting: "Hello, Ada" } })).toEqual({ status: 200, body: {} });
    expect(await output(executionArn)).toEqual({ greeting: "Hello, Ada" });
    expect(await answer(task as Task, "complete", { output: {} })).toEqual({
      status: 409,
      body: { error: "TaskTimedOut", message: "Task Timed Out" },
    });
  });

  it("gives the task of a poller that dies mid-task to another once its lease lapses; the dead one's late answer changes nothing", async () => {
    const executionArn = await start("slow", { item: 7 });
    const [first] = await poll(["slow"]);
    expect(first?.executionArn).toBe(executionArn);
    // The first worker dies here: it never heartbeats nor answers.

    const [second] = await poll(["slow"], { waitSeconds: 30 });
    expect(second).toMatchObject({ executionArn, taskId: first?.taskId, input: { item: 7 } });
    expect(second?.leaseToken).not.toBe(first?.leaseToken);

    expect(await answer(first as Task, "heartbeat")).toMatchObject({ status: 409, body: { error: "TaskTimedOut" } });
    expect(await answer(second as Task, "heartbeat")).toEqual({ status: 200, body: {} });
    expect(await answer(second as Task, "complete", { output: { by: "second" } })).toEqual({ status: 200, body: {} });
    expect(await answer(first as Task, "complete", { output: { by: "first" } })).toMatchObject({
      status: 409,
      body: { error: "TaskTimedOut" },
    });
    expect(await output(executionArn)).toEqual({ by: "second" });
  });

  it("keeps a task with a worker that heartbeats, past the lease, without handing it to another", async () => {
    const executionArn = await start("held");
    const [task] = await poll(["held"]);
    let beating = true;
    const heartbeats = (async () => {
      const answers: number[] = [];
      while (beating) {
        answers.push((await answer(task as Task, "heartbeat")).status);
        await new Promise((resolve) => setTimeout(resolve, LOCK_MS / 6));
      }
      return answers;
    })();
    // Longer than the lease and the stalled check after it: a lapsed lease would be handed out here.
    const others = await poll(["held"], { waitSeconds: (2 * LOCK_MS) / 1000 });
    beating = false;
    expect(others).toEqual([]);
    expect(new Set(await heartbeats)).toEqual(new Set([200]));
    expect(await answer(task as Task, "complete", { output: "kept" })).toEqual({ status: 200, body: {} });
    expect(await output(executionArn)).toBe("kept");
  });

  it("takes nothing for a worker that hung up while it waited: the next task goes to the next poll", async () => {
    const hangUp = new AbortController();
    const abandoned = fetch(`${api.endpoint}/v1/tasks/poll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ handlers: ["greet"], waitSeconds: 30 }),
      signal: hangUp.signal,
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    hangUp.abort();
    expect(await abandoned).toBeInstanceOf(Error);

    const executionArn = await start("greet", { name: "Grace" });
    // Shorter than a lease: a task stuck with the gone poll would not come back in time.
    const [task] = await poll(["greet"], { waitSeconds: 2 });
    expect(task?.executionArn).toBe(executionArn);
    await answer(task as Task, "complete", { output: "hi" });
    expect(await output(executionArn)).toBe("hi");
  });

  it("fails a task with the worker's error, which Retry matches; the retry goes to a worker as a new attempt", async () => {
    const executionArn = await start("retried");
    const [first] = await poll(["flaky"]);
    expect(await answer(first as Task, "fail", { error: "Flaky.Error", cause: "try again" })).toEqual({ status: 200, body: {} });
    const [retry] = await poll(["flaky"]);
    expect(retry?.executionArn).toBe(executionArn);
    expect(retry?.taskId).not.toBe(first?.taskId);
    await answer(retry as Task, "complete", { output: { attempt: 2 } });
    expect(await output(executionArn)).toEqual({ attempt: 2 });
    const { history } = await api.t.waitFor(executionArn);
    // A Lambda function's resource: AWS records its failure as LambdaFunctionFailed.
    expect(history.find((e) => e.type === "LambdaFunctionFailed")).toMatchObject({
      lambdaFunctionFailedEventDetails: { error: "Flaky.Error", cause: "try again" },
    });
  });

  it("answers TaskTimedOut to the heartbeat and answer of a task past its TimeoutSeconds", async () => {
    const executionArn = await start("short-timeout");
    const [task] = await poll(["stalls"]);
    const { execution } = await api.t.waitFor(executionArn);
    expect(execution).toMatchObject({ status: "FAILED", error: "States.Timeout" });
    expect(await answer(task as Task, "heartbeat")).toEqual({ status: 409, body: { error: "TaskTimedOut", message: "Task Timed Out" } });
    expect(await answer(task as Task, "complete", { output: "late" })).toMatchObject({ status: 409, body: { error: "TaskTimedOut" } });
  });

  it("holds STEPWISE_TASK_LIMITS' concurrency for pollers: one task at a time, the next once the first is answered", async () => {
    const executions = [await start("limited", { n: 1 }), await start("limited", { n: 2 })];
    await expect.poll(() => waitingTasks("one-at-a-time"), { timeout: 10_000 }).toBe(2);
    const taken = await poll(["one-at-a-time"], { maxTasks: 5 });
    expect(taken).toHaveLength(1);
    expect(await poll(["one-at-a-time"], { maxTasks: 5, waitSeconds: 1 })).toEqual([]);
    await answer(taken[0] as Task, "complete", { output: "first" });
    const next = await poll(["one-at-a-time"], { maxTasks: 5 });
    expect(next).toHaveLength(1);
    expect(next[0]?.executionArn).not.toBe(taken[0]?.executionArn);
    await answer(next[0] as Task, "complete", { output: "second" });
    for (const arn of executions) expect(["first", "second"]).toContain(await output(arn));
  });

  it("holds STEPWISE_TASK_LIMITS' rate for pollers: one task a second, the next to a poll that waits out the limit", async () => {
    const executions = [await start("paced", { n: 1 }), await start("paced", { n: 2 })];
    await expect.poll(() => waitingTasks("one-per-second"), { timeout: 10_000 }).toBe(2);
    const first = await poll(["one-per-second"], { maxTasks: 5 });
    expect(first).toHaveLength(1);
    const second = await poll(["one-per-second"], { maxTasks: 5 });
    expect(second).toHaveLength(1);
    for (const task of [...first, ...second]) await answer(task, "complete", { output: task.input });
    for (const arn of executions) await output(arn);
  });

  it("hands several queued tasks to one poll, up to maxTasks, across its handlers", async () => {
    const arns = [await start("greet", { name: "a" }), await start("greet", { name: "b" }), await start("slow", { item: 1 })];
    await expect.poll(async () => (await waitingTasks("greet")) + (await waitingTasks("slow")), { timeout: 10_000 }).toBe(3);
    const tasks = await poll(["greet", "slow"], { maxTasks: 2 });
    expect(tasks).toHaveLength(2);
    const rest = await poll(["greet", "slow"], { maxTasks: 5 });
    expect(rest).toHaveLength(1);
    for (const task of [...tasks, ...rest]) await answer(task, "complete", { output: task.input });
    for (const arn of arns) await output(arn);
  });

  it("gives a .waitForTaskToken task its token: the answer submits the request, the callback completes it", async () => {
    const executionArn = await start("approve");
    const [task] = await poll(["approver"]);
    expect(task?.taskToken).toBeDefined();
    expect(task?.input).toEqual({ token: task?.taskToken });
    expect(await answer(task as Task, "complete", { output: { sent: true } })).toEqual({ status: 200, body: {} });
    await expect.poll(async () => (await getHistory(api.t.runtime.db, executionArn)).map((e) => e.type)).toContain("TaskSubmitted");
    expect((await getExecution(api.t.runtime.db, executionArn)).status).toBe("RUNNING");
    const done = await api.call("POST", `/tasks/${enc(task?.taskToken as string)}/success`, { output: { approved: true } });
    expect(done.status).toBe(200);
    expect(await output(executionArn)).toEqual({ approved: true });
  });

  it("refuses bad polls and leases with the field or token at fault", async () => {
    const bad = async (body: unknown) => (await api.call("POST", "/tasks/poll", body)).body;
    expect(await bad({})).toMatchObject({ error: "ValidationException", message: expect.stringContaining("handlers") });
    expect(await bad({ handlers: [] })).toMatchObject({ error: "ValidationException", message: expect.stringContaining("handlers") });
    expect(await bad({ handlers: ["http"] })).toMatchObject({
      error: "ValidationException",
      message: expect.stringContaining("'http' is a built-in handler"),
    });
    expect(await bad({ handlers: ["a:b"] })).toMatchObject({ error: "ValidationException", message: expect.stringContaining("':'") });
    expect(await bad({ handlers: ["greet", "greet"] })).toMatchObject({ message: expect.stringContaining("repeat") });
    expect(await bad({ handlers: ["greet"], waitSeconds: 61 })).toMatchObject({ message: expect.stringContaining("waitSeconds") });
    expect(await bad({ handlers: ["greet"], maxTasks: 0 })).toMatchObject({ message: expect.stringContaining("maxTasks") });

    const fake = (parts: unknown) => `lease.${Buffer.from(JSON.stringify(parts)).toString("base64url")}`;
    const leaseCall = (token: string, action: string) => api.call("POST", `/tasks/${enc(token)}/${action}`, {});
    for (const action of ["complete", "fail", "heartbeat"]) {
      expect(await leaseCall("lease.not-base64-json", action)).toMatchObject({ status: 400, body: { error: "InvalidToken" } });
      expect(await leaseCall(fake(["greet", "00000000-0000-4000-8000-000000000000", "lock"]), action)).toEqual({
        status: 404,
        body: { error: "TaskDoesNotExist", message: "Task Does Not Exist" },
      });
    }
    // A task token answers through /success and /failure; /complete and /fail take leases only.
    expect(await leaseCall("00000000-0000-4000-8000-000000000000", "complete")).toMatchObject({
      status: 400,
      body: { error: "InvalidToken", message: expect.stringContaining("/success") },
    });

    // A lease names its handler: one that names another handler than the task's was never issued.
    const executionArn = await start("greet", { name: "Lin" });
    const [task] = await poll(["greet"]);
    const [, taskId, lock] = JSON.parse(Buffer.from((task as Task).leaseToken.slice(6), "base64url").toString()) as string[];
    expect(await leaseCall(fake(["slow", taskId, lock]), "complete")).toMatchObject({ status: 400, body: { error: "InvalidToken" } });
    expect(await answer(task as Task, "complete", { output: "\u0000" })).toMatchObject({
      status: 400,
      body: { error: "ValidationException" },
    });
    expect(await answer(task as Task, "complete", { output: "ok" })).toEqual({ status: 200, body: {} });
    expect(await output(executionArn)).toBe("ok");
  });
});

describe("REST /v1/tasks/poll with scoped keys", () => {
  let api: TestApi;
  const ORDERS = "orders-worker-token";
  const REPORTS = "reports-worker-token";
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startTestApi({
      apiEnv: {
        STEPWISE_AUTH: "on",
        STEPWISE_API_TOKENS: `admin-token,${ORDERS},${REPORTS}`,
        STEPWISE_KEY_SCOPES: JSON.stringify({
          [ORDERS]: { stateMachines: ["orders-*"], handlers: ["orders-*"] },
          [REPORTS]: { stateMachines: ["reports-*"] },
        }),
      },
    });
    const created = await api.call(
      "POST",
      "/state-machines",
      { name: "orders-flow", definition: oneTask("orders-pack") },
      auth("admin-token"),
    );
    expect(created.status).toBe(201);
  });
  afterAll(() => api.close());

  it("lets a key poll and answer only the handlers its scope lists", async () => {
    const poll = (token: string, handlers: string[]) =>
      api.call("POST", "/tasks/poll", { handlers, waitSeconds: 20 }, { "content-type": "application/json", ...auth(token) });

    expect(await poll(REPORTS, ["orders-pack"])).toMatchObject({
      status: 403,
      body: { error: "AccessDeniedException", message: expect.stringContaining("handler 'orders-pack'") },
    });
    expect(await poll(ORDERS, ["orders-pack", "billing"])).toMatchObject({
      status: 403,
      body: { message: expect.stringContaining("'billing'") },
    });

    const started = await api.call("POST", "/state-machines/orders-flow/executions", { input: { box: 3 } }, auth("admin-token"));
    const polled = await poll(ORDERS, ["orders-pack"]);
    expect(polled.status).toBe(200);
    const [task] = polled.body.tasks as Task[];
    expect(task?.input).toEqual({ box: 3 });

    const complete = (token: string) =>
      api.call("POST", `/tasks/${enc((task as Task).leaseToken)}/complete`, { output: "packed" }, auth(token));
    expect(await complete(REPORTS)).toMatchObject({ status: 403, body: { error: "AccessDeniedException" } });
    expect(await complete(ORDERS)).toEqual({ status: 200, body: {} });
    const { execution } = await api.t.waitFor(started.body.executionArn);
    expect(execution).toMatchObject({ status: "SUCCEEDED", output: '"packed"' });
  });
});
