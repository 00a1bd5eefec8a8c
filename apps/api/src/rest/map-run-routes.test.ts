/**
 * REST /v1 Map Runs: an operator finds the Map Runs of an execution, reads one's limits and counts while
 * it runs and once it ends, lists its child executions by status page by page, and opens a child, which
 * names its Map Run and parent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

const enc = encodeURIComponent;
const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

let release = () => {};
const released = new Promise<void>((resolve) => {
  release = resolve;
});

/** Each parcel is weighed by its own child; a parcel over 30 kg fails. `weigh` waits until the test releases it. */
const parcels = {
  StartAt: "Weigh",
  States: {
    Weigh: {
      Type: "Map",
      Label: "Parcels",
      MaxConcurrency: 2,
      ToleratedFailureCount: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "Scale",
        States: { Scale: { Type: "Task", Resource: lambda("weigh"), End: true } },
      },
      End: true,
    },
  },
};

describe("REST /v1 Map Runs", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      worker: {
        handlers: {
          weigh: async (input) => {
            await released;
            const { kg } = input as { kg: number };
            if (kg > 30) throw Object.assign(new Error(`${kg} kg is over the limit`), { name: "Parcel.TooHeavy" });
            return { kg, ok: true };
          },
        },
      },
    });
    await api.call("POST", "/state-machines", { name: "parcels", definition: parcels });
  });
  afterAll(() => {
    release();
    return api.close();
  });

  it("follows a Map Run from its execution: limits, live counts, children by status and in pages, each child's way back", async () => {
    const started = await api.call("POST", "/state-machines/parcels/executions", {
      name: "monday",
      input: [{ kg: 2 }, { kg: 40 }, { kg: 5 }, { kg: 7 }],
    });
    const executionArn = started.body.executionArn as string;

    let runs: { status: number; body: { mapRuns: Array<Record<string, unknown>> } } = { status: 0, body: { mapRuns: [] } };
    await expect
      .poll(
        async () => {
          runs = await api.call("GET", `/executions/${enc(executionArn)}/map-runs`);
          return runs.body.mapRuns.length;
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    const run = runs.body.mapRuns[0] as Record<string, string>;
    const mapRunArn = run.mapRunArn as string;
    expect(run).toMatchObject({
      executionArn,
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:parcels",
      label: "Parcels",
      status: "RUNNING",
      stopDate: null,
    });
    expect(mapRunArn.startsWith("arn:aws:states:us-east-1:123456789012:mapRun:parcels:monday/Parcels:")).toBe(true);

    // While the scale is held, two children run (MaxConcurrency 2) and two wait.
    await expect
      .poll(async () => (await api.call("GET", `/map-runs/${enc(mapRunArn)}`)).body.counts, { timeout: 20_000 })
      .toEqual({ pending: 2, running: 2, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 4 });
    const running = await api.call("GET", `/map-runs/${enc(mapRunArn)}`);
    expect(running.body).toMatchObject({
      mapRunArn,
      executionArn,
      label: "Parcels",
      status: "RUNNING",
      maxConcurrency: 2,
      toleratedFailureCount: 1,
      toleratedFailurePercentage: 0,
      redriveCount: 0,
      redriveDate: null,
      stopDate: null,
    });
    const runningChildren = await api.call("GET", `/map-runs/${enc(mapRunArn)}/executions?status=RUNNING`);
    expect(runningChildren.body.executions).toHaveLength(2);

    release();
    await api.t.waitFor(executionArn);
    const ended = await api.call("GET", `/map-runs/${enc(mapRunArn)}`);
    expect(ended.body).toMatchObject({ status: "SUCCEEDED", counts: { succeeded: 3, failed: 1, pending: 0, running: 0, total: 4 } });
    expect(Date.parse(ended.body.stopDate)).toBeGreaterThanOrEqual(Date.parse(ended.body.startDate));

    const failed = await api.call("GET", `/map-runs/${enc(mapRunArn)}/executions?status=FAILED`);
    expect(failed.body.executions).toHaveLength(1);
    expect(failed.body.executions[0]).toMatchObject({
      status: "FAILED",
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:parcels/Parcels",
    });

    const first = await api.call("GET", `/map-runs/${enc(mapRunArn)}/executions?maxResults=3`);
    expect(first.body.executions).toHaveLength(3);
    const second = await api.call("GET", `/map-runs/${enc(mapRunArn)}/executions?maxResults=3&nextToken=${enc(first.body.nextToken)}`);
    expect(second.body.executions).toHaveLength(1);
    expect(second.body.nextToken).toBeUndefined();
    const all = [...first.body.executions, ...second.body.executions].map((e: { executionArn: string }) => e.executionArn);
    expect(new Set(all).size).toBe(4);

    const child = await api.call("GET", `/executions/${enc(failed.body.executions[0].executionArn)}`);
    expect(child.body).toMatchObject({
      status: "FAILED",
      error: "Parcel.TooHeavy",
      input: { kg: 40 },
      mapRunArn,
      parentExecutionArn: executionArn,
    });
    const history = await api.call("GET", `/executions/${enc(child.body.executionArn)}/history`);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
      "ExecutionFailed",
    ]);

    const parent = await api.call("GET", `/executions/${enc(executionArn)}`);
    expect(parent.body).toMatchObject({ mapRunArn: null, parentExecutionArn: null });
  });

  it("answers an execution with no distributed Map with no Map Runs, an unknown Map Run with 404 and a malformed ARN with 400", async () => {
    await api.call("POST", "/state-machines", { name: "plain", definition: { StartAt: "P", States: { P: { Type: "Pass", End: true } } } });
    const started = await api.call("POST", "/state-machines/plain/executions", {});
    await api.t.waitFor(started.body.executionArn);
    expect((await api.call("GET", `/executions/${enc(started.body.executionArn)}/map-runs`)).body).toEqual({ mapRuns: [] });

    const unknown = "arn:aws:states:us-east-1:123456789012:mapRun:parcels:nobody/Parcels:0f0f";
    for (const path of [`/map-runs/${enc(unknown)}`, `/map-runs/${enc(unknown)}/executions`]) {
      const answer = await api.call("GET", path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).toMatchObject({ error: "ResourceNotFound", message: `Map Run Does Not Exist: '${unknown}'` });
    }
    const malformed = await api.call("GET", `/map-runs/${enc("arn:aws:states:us-east-1:123456789012:execution:parcels:monday")}`);
    expect(malformed).toMatchObject({ status: 400, body: { error: "InvalidArn" } });
    const missing = await api.call("GET", `/executions/${enc("arn:aws:states:us-east-1:123456789012:execution:parcels:nobody")}/map-runs`);
    expect(missing).toMatchObject({ status: 404, body: { error: "ExecutionDoesNotExist" } });
  });
});
