import { publishStateMachineVersion } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

const enc = encodeURIComponent;
const waitMachine = { StartAt: "W", States: { W: { Type: "Wait", Seconds: 60, End: true } } };
const echo = { StartAt: "P", States: { P: { Type: "Pass", Parameters: { "got.$": "$.value" }, End: true } } };
const failing = { StartAt: "F", States: { F: { Type: "Fail", Error: "Order.Invalid", Cause: "no items" } } };

describe("REST /v1 executions", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.call("POST", "/state-machines", { name: "echo", definition: echo });
    await api.call("POST", "/state-machines", { name: "waits", definition: waitMachine });
    await api.call("POST", "/state-machines", { name: "fails", definition: failing });
  });
  afterAll(() => api.close());

  it("starts an execution with a name and input, then describes it when it has finished", async () => {
    const res = await api.call("POST", "/state-machines/echo/executions", { name: "first", input: { value: 7 } });
    expect(res.status).toBe(201);
    expect(res.body.executionArn).toBe("arn:aws:states:us-east-1:123456789012:execution:echo:first");
    expect(Date.parse(res.body.startDate)).not.toBeNaN();
    await api.t.waitFor(res.body.executionArn);

    const described = await api.call("GET", `/executions/${enc(res.body.executionArn)}`);
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({
      executionArn: res.body.executionArn,
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:echo",
      name: "first",
      status: "SUCCEEDED",
      input: { value: 7 },
      output: { got: 7 },
      error: null,
      cause: null,
      definition: echo,
      startDate: res.body.startDate,
    });
    expect(Date.parse(described.body.stopDate)).toBeGreaterThanOrEqual(Date.parse(res.body.startDate));
  });

  it("starts through a version of the machine, and describes the execution with it", async () => {
    const { version } = await publishStateMachineVersion(api.t.runtime.db, "arn:aws:states:us-east-1:123456789012:stateMachine:echo");
    const res = await api.call("POST", `/state-machines/${enc("echo:1")}/executions`, { input: { value: 1 } });
    expect(res.status).toBe(201);
    await api.t.waitFor(res.body.executionArn);
    const described = await api.call("GET", `/executions/${enc(res.body.executionArn)}`);
    expect(described.body).toMatchObject({ status: "SUCCEEDED", stateMachineVersionArn: version.arn, stateMachineAliasArn: null });
  });

  it("describes a failed execution with its error and cause", async () => {
    const res = await api.call("POST", "/state-machines/fails/executions", {});
    await api.t.waitFor(res.body.executionArn);
    const described = await api.call("GET", `/executions/${enc(res.body.executionArn)}`);
    expect(described.body).toMatchObject({ status: "FAILED", output: null, error: "Order.Invalid", cause: "no items", input: {} });
  });

  it("is idempotent for the same name and input while running, and 409 for another input", async () => {
    const first = await api.call("POST", "/state-machines/waits/executions", { name: "once", input: { a: 1 } });
    const again = await api.call("POST", "/state-machines/waits/executions", { name: "once", input: { a: 1 } });
    expect(again).toEqual({ status: 200, body: first.body });
    const other = await api.call("POST", "/state-machines/waits/executions", { name: "once", input: { a: 2 } });
    expect(other).toMatchObject({ status: 409, body: { error: "ExecutionAlreadyExists" } });
    await api.call("POST", `/executions/${enc(first.body.executionArn)}/stop`);
  });

  it("answers bad starts with named 4xx errors", async () => {
    expect(await api.call("POST", "/state-machines/missing/executions", {})).toMatchObject({
      status: 404,
      body: { error: "StateMachineDoesNotExist" },
    });
    expect(await api.call("POST", "/state-machines/echo/executions", { name: "bad name" })).toMatchObject({
      status: 400,
      body: { error: "InvalidName" },
    });
    expect(await api.call("POST", "/state-machines/echo/executions", { name: 5 })).toMatchObject({
      status: 400,
      body: { error: "ValidationException" },
    });
    const big = await api.call("POST", "/state-machines/echo/executions", { input: { blob: "x".repeat(300_000) } });
    expect(big).toMatchObject({ status: 400, body: { error: "InvalidExecutionInput" } });
  });

  it("refuses a request body over the configured limit with 413", async () => {
    const res = await api.call("POST", "/state-machines/echo/executions", { input: { blob: "x".repeat(1_100_000) } });
    expect(res).toMatchObject({ status: 413, body: { error: "ValidationException" } });
  });

  it("lists a machine's executions newest first, filtered by status, page by page", async () => {
    await api.call("POST", "/state-machines", { name: "lister", definition: echo });
    for (const name of ["l1", "l2", "l3"]) {
      const started = await api.call("POST", "/state-machines/lister/executions", { name, input: { value: name } });
      await api.t.waitFor(started.body.executionArn);
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const res = await api.call("GET", `/state-machines/lister/executions?maxResults=2${nextToken ? `&nextToken=${enc(nextToken)}` : ""}`);
      expect(res.status).toBe(200);
      names.push(...res.body.executions.map((e: { name: string }) => e.name));
      nextToken = res.body.nextToken;
    } while (nextToken);
    expect(names).toEqual(["l3", "l2", "l1"]);
    expect((await api.call("GET", "/state-machines/lister/executions?status=SUCCEEDED")).body.executions).toHaveLength(3);
    expect((await api.call("GET", "/state-machines/lister/executions?status=RUNNING")).body.executions).toEqual([]);
    expect(await api.call("GET", "/state-machines/lister/executions?status=DONE")).toMatchObject({
      status: 400,
      body: { error: "ValidationException" },
    });
    expect(await api.call("GET", "/state-machines/ghost/executions")).toMatchObject({
      status: 404,
      body: { error: "StateMachineDoesNotExist" },
    });
  });

  it("lists every execution, filtered by status and a piece of the name", async () => {
    const running = await api.call("POST", "/state-machines/waits/executions", { name: "Needle-Running" });
    const done = await api.call("POST", "/state-machines/echo/executions", { name: "needle-done", input: { value: 1 } });
    await api.t.waitFor(done.body.executionArn);

    const byName = await api.call("GET", "/executions?name=NEEDLE");
    expect(byName.body.executions.map((e: { name: string }) => e.name)).toEqual(["needle-done", "Needle-Running"]);
    const runningOnly = await api.call("GET", "/executions?name=needle&status=RUNNING");
    expect(runningOnly.body.executions).toEqual([
      expect.objectContaining({ executionArn: running.body.executionArn, status: "RUNNING", stopDate: null }),
    ]);
    expect((await api.call("GET", "/executions?name=%25")).body.executions).toEqual([]);

    const all: string[] = [];
    let nextToken: string | undefined;
    do {
      const res = await api.call("GET", `/executions?maxResults=1${nextToken ? `&nextToken=${enc(nextToken)}` : ""}`);
      all.push(...res.body.executions.map((e: { executionArn: string }) => e.executionArn));
      nextToken = res.body.nextToken;
    } while (nextToken);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining([running.body.executionArn, done.body.executionArn]));
    const wrongToken = await api.call("GET", `/executions?status=RUNNING&nextToken=${enc(nextToken ?? "x")}`);
    expect(wrongToken).toMatchObject({ status: 400, body: { error: "InvalidToken" } });
    await api.call("POST", `/executions/${enc(running.body.executionArn)}/stop`);
  });

  it("serves the history in AWS's shape, forwards, backwards and in pages", async () => {
    const started = await api.call("POST", "/state-machines/echo/executions", { input: { value: 1 } });
    await api.t.waitFor(started.body.executionArn);
    const path = `/executions/${enc(started.body.executionArn)}/history`;
    const all = await api.call("GET", path);
    expect(all.body.events.map((e: { type: string }) => e.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    expect(all.body.events[0]).toMatchObject({ id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"value":1}' } });
    expect(all.body.nextAfter).toBeUndefined();

    const reversed = await api.call("GET", `${path}?reverse=true`);
    expect(reversed.body.events.map((e: { id: number }) => e.id)).toEqual([4, 3, 2, 1]);

    const first = await api.call("GET", `${path}?limit=3`);
    expect(first.body.events.map((e: { id: number }) => e.id)).toEqual([1, 2, 3]);
    expect(first.body.nextAfter).toBe(3);
    const rest = await api.call("GET", `${path}?limit=3&after=3`);
    expect(rest.body).toEqual({ events: [all.body.events[3]] });
    const backPage = await api.call("GET", `${path}?reverse=true&limit=2&after=3`);
    expect(backPage.body.events.map((e: { id: number }) => e.id)).toEqual([2, 1]);

    expect(await api.call("GET", `${path}?limit=0`)).toMatchObject({ status: 400, body: { error: "ValidationException" } });
    expect(await api.call("GET", `${path}?reverse=maybe`)).toMatchObject({ status: 400, body: { error: "ValidationException" } });
  });

  it("answers unknown and malformed execution ARNs with 404 and 400", async () => {
    const unknown = "arn:aws:states:us-east-1:123456789012:execution:echo:nobody";
    for (const suffix of ["", "/history", "/events/stream"]) {
      expect(await api.call("GET", `/executions/${enc(unknown)}${suffix}`)).toEqual({
        status: 404,
        body: { error: "ExecutionDoesNotExist", message: `Execution Does Not Exist: '${unknown}'` },
      });
      expect(await api.call("GET", `/executions/not-an-arn${suffix}`)).toEqual({
        status: 400,
        body: { error: "InvalidArn", message: "Invalid Arn: 'not-an-arn'" },
      });
    }
    expect(await api.call("POST", `/executions/${enc(unknown)}/stop`)).toMatchObject({
      status: 404,
      body: { error: "ExecutionDoesNotExist" },
    });
  });

  it("stops a running execution with an error and cause, and refuses to stop it twice", async () => {
    const started = await api.call("POST", "/state-machines/waits/executions", {});
    const path = `/executions/${enc(started.body.executionArn)}`;
    const stopped = await api.call("POST", `${path}/stop`, { error: "Ops.Cancelled", cause: "not needed" });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ executionArn: started.body.executionArn, status: "ABORTED" });
    expect(Date.parse(stopped.body.stopDate)).not.toBeNaN();
    expect((await api.call("GET", path)).body).toMatchObject({ status: "ABORTED", error: "Ops.Cancelled", cause: "not needed" });
    const history = await api.call("GET", `${path}/history?reverse=true&limit=1`);
    expect(history.body.events[0]).toMatchObject({
      type: "ExecutionAborted",
      executionAbortedEventDetails: { error: "Ops.Cancelled", cause: "not needed" },
    });

    const again = await api.call("POST", `${path}/stop`, {});
    expect(again).toEqual({
      status: 409,
      body: { error: "ExecutionNotRunning", message: `Execution is not running: '${started.body.executionArn}' (status ABORTED)` },
    });
    const tooLong = await api.call("POST", `${path}/stop`, { error: "e".repeat(257) });
    expect(tooLong).toMatchObject({ status: 400, body: { error: "ValidationException" } });
  });

  it("redrives a closed execution from where it stopped, and refuses one that succeeded or is running", async () => {
    const failed = await api.call("POST", "/state-machines/fails/executions", {});
    await api.t.waitFor(failed.body.executionArn);
    const failedPath = `/executions/${enc(failed.body.executionArn)}`;
    const redriven = await api.call("POST", `${failedPath}/redrive`);
    expect(redriven.status).toBe(200);
    expect(redriven.body.executionArn).toBe(failed.body.executionArn);
    expect(Date.parse(redriven.body.redriveDate)).not.toBeNaN();
    // The Fail state fails again: the execution ran once more, from that state.
    const { history } = await api.t.waitFor(failed.body.executionArn);
    expect(history.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "FailStateEntered",
      "ExecutionFailed",
      "ExecutionRedriven",
      "FailStateEntered",
      "ExecutionFailed",
    ]);
    expect((await api.call("GET", failedPath)).body).toMatchObject({ status: "FAILED", redriveCount: 1, error: "Order.Invalid" });

    const waiting = await api.call("POST", "/state-machines/waits/executions", {});
    const waitingPath = `/executions/${enc(waiting.body.executionArn)}`;
    expect(await api.call("POST", `${waitingPath}/redrive`)).toMatchObject({ status: 409, body: { error: "ExecutionNotRedrivable" } });
    await api.call("POST", `${waitingPath}/stop`);
    expect((await api.call("POST", `${waitingPath}/redrive`)).status).toBe(200);
    expect((await api.call("GET", waitingPath)).body).toMatchObject({ status: "RUNNING", redriveCount: 1, stopDate: null });
    await api.call("POST", `${waitingPath}/stop`);

    const succeeded = await api.call("POST", "/state-machines/echo/executions", { input: { value: 1 } });
    await api.t.waitFor(succeeded.body.executionArn);
    const refused = await api.call("POST", `/executions/${enc(succeeded.body.executionArn)}/redrive`);
    expect(refused).toMatchObject({ status: 409, body: { error: "ExecutionNotRedrivable" } });
    expect(refused.body.message).toContain("SUCCEEDED");

    const unknown = "arn:aws:states:us-east-1:123456789012:execution:echo:nobody";
    expect(await api.call("POST", `/executions/${enc(unknown)}/redrive`)).toMatchObject({
      status: 404,
      body: { error: "ExecutionDoesNotExist" },
    });
    expect(await api.call("POST", "/executions/not-an-arn/redrive")).toMatchObject({ status: 400, body: { error: "InvalidArn" } });
  });
});
