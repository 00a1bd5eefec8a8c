import { getTaskToken } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

const enc = encodeURIComponent;

/** A callback task: the worker hands the token out, the REST API completes the task. */
const callbackMachine = (heartbeatSeconds?: number) => ({
  StartAt: "Approve",
  States: {
    Approve: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "callback", Payload: { "token.$": "$$.Task.Token" } },
      ...(heartbeatSeconds === undefined ? {} : { HeartbeatSeconds: heartbeatSeconds }),
      End: true,
    },
  },
});

describe("REST /v1/tasks", () => {
  let api: TestApi;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    api = await startTestApi({
      worker: {
        handlers: {
          callback: (_input, ctx) => {
            tokens.set(ctx.executionArn, ctx.taskToken as string);
            return {};
          },
        },
      },
    });
    await api.call("POST", "/state-machines", { name: "approve", definition: callbackMachine() });
    await api.call("POST", "/state-machines", { name: "approve-heartbeat", definition: callbackMachine(60) });
  });
  afterAll(() => api.close());

  async function startAndGetToken(machine: string): Promise<{ executionArn: string; token: string }> {
    const started = await api.call("POST", `/state-machines/${machine}/executions`, {});
    const executionArn = started.body.executionArn as string;
    await expect.poll(() => tokens.get(executionArn), { timeout: 10_000 }).toBeDefined();
    return { executionArn, token: tokens.get(executionArn) as string };
  }

  it("completes a waiting task with its output", async () => {
    const { executionArn, token } = await startAndGetToken("approve");
    const res = await api.call("POST", `/tasks/${enc(token)}/success`, { output: { approved: true } });
    expect(res).toEqual({ status: 200, body: {} });
    const { execution } = await api.t.waitFor(executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string)).toEqual({ approved: true });

    const late = await api.call("POST", `/tasks/${enc(token)}/success`, { output: {} });
    expect(late).toEqual({ status: 409, body: { error: "TaskTimedOut", message: "Task Timed Out" } });
  });

  it("fails a waiting task with an error and cause", async () => {
    const { executionArn, token } = await startAndGetToken("approve");
    const res = await api.call("POST", `/tasks/${enc(token)}/failure`, { error: "Approval.Denied", cause: "over budget" });
    expect(res.status).toBe(200);
    const { execution } = await api.t.waitFor(executionArn);
    expect(execution).toMatchObject({ status: "FAILED", error: "Approval.Denied", cause: "over budget" });
    expect(await api.call("POST", `/tasks/${enc(token)}/heartbeat`)).toMatchObject({ status: 409, body: { error: "TaskTimedOut" } });
  });

  it("a heartbeat pushes the task's heartbeat deadline back", async () => {
    const { executionArn, token } = await startAndGetToken("approve-heartbeat");
    const before = (await getTaskToken(api.t.runtime.db, token)).heartbeatDeadline;
    await new Promise((r) => setTimeout(r, 50));
    expect(await api.call("POST", `/tasks/${enc(token)}/heartbeat`)).toEqual({ status: 200, body: {} });
    const after = (await getTaskToken(api.t.runtime.db, token)).heartbeatDeadline;
    expect(after?.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(after?.getTime()).toBeGreaterThan(before?.getTime() ?? 0);
    await api.call("POST", `/tasks/${enc(token)}/success`, { output: "done" });
    expect((await api.t.waitFor(executionArn)).execution.status).toBe("SUCCEEDED");
  });

  it("answers unknown tokens with 404 and bad bodies with 400", async () => {
    for (const action of ["success", "failure", "heartbeat"]) {
      const res = await api.call("POST", `/tasks/unknown-token/${action}`, action === "success" ? { output: {} } : {});
      expect(res).toEqual({ status: 404, body: { error: "TaskDoesNotExist", message: "Task Does Not Exist" } });
    }
    expect(await api.call("POST", "/tasks/unknown-token/success", {})).toMatchObject({
      status: 400,
      body: { error: "ValidationException" },
    });
    expect(await api.call("POST", "/tasks/unknown-token/failure", { cause: 5 })).toMatchObject({
      status: 400,
      body: { error: "ValidationException" },
    });
  });
});
