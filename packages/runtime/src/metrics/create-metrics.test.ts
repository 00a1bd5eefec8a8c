import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { tagResource } from "@stepwise/storage";
import { createTestRuntime, metricFamilies, parseSamples, type Sample, sampleValue, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CONCURRENCY_TAG } from "../engine/admission.ts";
import { type OpsServer, startOpsServer } from "../ops/ops-server.ts";
import { TaskFailure } from "../worker/task-handler.ts";
import { createMetrics, type Metrics } from "./create-metrics.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe("a live runtime's /metrics counts what its executions did", () => {
  let t: TestRuntime;
  let metrics: Metrics;
  let ops: OpsServer;
  let endpoint: string;
  const flakyCalls = new Map<string, number>();

  const scrape = async (): Promise<{ text: string; samples: Sample[] }> => {
    const response = await fetch(`${endpoint}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    return { text, samples: parseSamples(text) };
  };

  beforeAll(async () => {
    t = await createTestRuntime();
    metrics = createMetrics(t.runtime);
    ops = startOpsServer(t.runtime, metrics.registry, 0, "127.0.0.1");
    await once(ops.server, "listening");
    endpoint = `http://127.0.0.1:${(ops.server.address() as AddressInfo).port}`;
    t.worker({
      handlers: {
        ok: (input) => input,
        // Fails its first attempt in each execution, so one Retry is needed.
        flaky: (_input, ctx) => {
          const n = (flakyCalls.get(ctx.executionArn) ?? 0) + 1;
          flakyCalls.set(ctx.executionArn, n);
          if (n === 1) throw new TaskFailure("Flaky", "first attempt fails");
          return { attempts: n };
        },
        slow: (_input, ctx) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => resolve({ late: true }), 10_000);
            ctx.signal.addEventListener("abort", () => {
              clearTimeout(timer);
              reject(new Error("aborted"));
            });
          }),
      },
    });
    t.scheduler();
  });

  afterAll(async () => {
    metrics.close();
    await ops.close();
    await t.close();
  });

  it("counts starts, ends by status, states entered by type, task outcomes, retries and timeouts", async () => {
    const pipeline = await t.createMachine(
      {
        StartAt: "Prepare",
        States: {
          Prepare: { Type: "Pass", Result: { go: true }, Next: "Work" },
          Work: { Type: "Task", Resource: lambda("ok"), Next: "Check" },
          Check: { Type: "Choice", Choices: [{ Variable: "$.go", BooleanEquals: true, Next: "Done" }], Default: "Done" },
          Done: { Type: "Succeed" },
        },
      },
      "metrics-pipeline",
    );
    const retrying = await t.createMachine(
      {
        StartAt: "Try",
        States: {
          Try: {
            Type: "Task",
            Resource: lambda("flaky"),
            Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
            Next: "Boom",
          },
          Boom: { Type: "Fail", Error: "Boom", Cause: "after a retry" },
        },
      },
      "metrics-retrying",
    );
    const taskTimeout = await t.createMachine(
      { StartAt: "Slow", States: { Slow: { Type: "Task", Resource: lambda("slow"), TimeoutSeconds: 1, End: true } } },
      "metrics-task-timeout",
    );
    const executionTimeout = await t.createMachine(
      { TimeoutSeconds: 1, StartAt: "Nap", States: { Nap: { Type: "Wait", Seconds: 30, End: true } } },
      "metrics-execution-timeout",
    );

    const runs = await Promise.all([
      t.run(pipeline),
      t.run(pipeline),
      t.run(pipeline),
      t.run(retrying),
      t.run(taskTimeout),
      t.run(executionTimeout),
    ]);
    expect(runs.map((r) => r.execution.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "FAILED", "TIMED_OUT"]);

    const { samples } = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);

    expect(value("stepwise_executions_started_total", { state_machine: "metrics-pipeline" })).toBe(3);
    expect(value("stepwise_executions_started_total")).toBe(6);
    expect(value("stepwise_executions_finished_total", { state_machine: "metrics-pipeline", status: "SUCCEEDED" })).toBe(3);
    expect(value("stepwise_executions_finished_total", { state_machine: "metrics-retrying", status: "FAILED" })).toBe(1);
    expect(value("stepwise_executions_finished_total", { state_machine: "metrics-task-timeout", status: "FAILED" })).toBe(1);
    expect(value("stepwise_executions_finished_total", { state_machine: "metrics-execution-timeout", status: "TIMED_OUT" })).toBe(1);
    expect(value("stepwise_executions_finished_total")).toBe(6);
    expect(value("stepwise_execution_duration_seconds_count", { state_machine: "metrics-pipeline", status: "SUCCEEDED" })).toBe(3);
    // The execution timeout is 1 s: it cannot have ended sooner.
    expect(value("stepwise_execution_duration_seconds_sum", { state_machine: "metrics-execution-timeout" })).toBeGreaterThanOrEqual(1);

    for (const type of ["Pass", "Task", "Choice", "Succeed"]) {
      expect(value("stepwise_state_transitions_total", { state_machine: "metrics-pipeline", state_type: type }), type).toBe(3);
    }
    expect(value("stepwise_state_transitions_total", { state_machine: "metrics-retrying", state_type: "Task" })).toBe(1);
    expect(value("stepwise_state_transitions_total", { state_machine: "metrics-retrying", state_type: "Fail" })).toBe(1);
    expect(value("stepwise_state_transitions_total", { state_machine: "metrics-execution-timeout", state_type: "Wait" })).toBe(1);

    expect(value("stepwise_tasks_total", { handler: "ok", outcome: "succeeded" })).toBe(3);
    expect(value("stepwise_tasks_total", { handler: "flaky", outcome: "failed" })).toBe(1);
    expect(value("stepwise_tasks_total", { handler: "flaky", outcome: "succeeded" })).toBe(1);
    expect(value("stepwise_task_duration_seconds_count", { handler: "ok" })).toBe(3);
    // The worker had the handler and room: each run went without the queue, inside its transition when the
    // handler answered in time (the process's first run also waits for its stop-signal subscription).
    const localRuns = (mode: string) => value("stepwise_local_tasks_total", { handler: "ok", mode }) ?? 0;
    expect(localRuns("inline") + localRuns("after_commit")).toBe(3);
    expect(localRuns("inline")).toBeGreaterThan(0);
    expect(value("stepwise_retries_total", { state_machine: "metrics-retrying" })).toBe(1);
    expect(value("stepwise_timeouts_total", { state_machine: "metrics-task-timeout", event: "LambdaFunctionTimedOut" })).toBe(1);
    expect(value("stepwise_timeouts_total", { state_machine: "metrics-execution-timeout", event: "ExecutionTimedOut" })).toBe(1);

    // Every transition wrote history, timed as a whole and for its appends.
    const transitions = value("stepwise_transition_duration_seconds_count") ?? 0;
    expect(transitions).toBeGreaterThanOrEqual(6);
    expect(value("stepwise_history_write_duration_seconds_count")).toBeGreaterThan(0);
    expect(value("stepwise_history_events_total")).toBe(runs.reduce((n, r) => n + r.history.length - 1, 0));
  }, 60_000);

  it("counts Express executions, which end in their worker's job, as finished with their duration", async () => {
    const quick = await t.createMachine(
      { StartAt: "Work", States: { Work: { Type: "Task", Resource: lambda("ok"), End: true } } },
      "metrics-express",
      "EXPRESS",
    );
    const failing = await t.createMachine(
      { StartAt: "F", States: { F: { Type: "Fail", Error: "Nope" } } },
      "metrics-express-failing",
      "EXPRESS",
    );
    const runs = await Promise.all([t.run(quick), t.run(quick), t.run(failing)]);
    expect(runs.map((r) => r.execution.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "FAILED"]);

    const { samples } = await scrape();
    const value = (name: string, labels: Record<string, string>) => sampleValue(samples, name, labels);
    expect(value("stepwise_executions_started_total", { state_machine: "metrics-express" })).toBe(2);
    expect(value("stepwise_executions_finished_total", { state_machine: "metrics-express", status: "SUCCEEDED" })).toBe(2);
    expect(value("stepwise_executions_finished_total", { state_machine: "metrics-express-failing", status: "FAILED" })).toBe(1);
    expect(value("stepwise_execution_duration_seconds_count", { state_machine: "metrics-express", status: "SUCCEEDED" })).toBe(2);
    expect(value("stepwise_execution_duration_seconds_count", { state_machine: "metrics-express-failing", status: "FAILED" })).toBe(1);
  }, 30_000);

  it("reads running and concurrency-queued executions from Postgres, and queue depth from Redis, at scrape time", async () => {
    const napping = await t.createMachine({ StartAt: "Nap", States: { Nap: { Type: "Wait", Seconds: 60, End: true } } }, "metrics-napping");
    await tagResource(t.runtime.db, napping, [{ key: MAX_CONCURRENCY_TAG, value: "2" }]);
    const started = [];
    for (let i = 0; i < 5; i++) started.push(await t.runtime.engine.start({ stateMachineArn: napping }));

    const { samples, text } = await scrape();
    expect(sampleValue(samples, "stepwise_executions_running", { state_machine: "metrics-napping" })).toBe(2);
    expect(sampleValue(samples, "stepwise_executions_pending", { state_machine: "metrics-napping" })).toBe(3);
    for (const state of ["waiting", "active", "delayed", "failed"]) {
      expect(sampleValue(samples, "stepwise_queue_jobs", { queue: "transitions", state }), state).toBeTypeOf("number");
      expect(sampleValue(samples, "stepwise_queue_jobs", { queue: "task-ok", state }), state).toBeTypeOf("number");
    }
    // The two admitted executions wait on 60 s timers: delayed transition jobs.
    expect(sampleValue(samples, "stepwise_queue_jobs", { queue: "transitions", state: "delayed" })).toBeGreaterThanOrEqual(2);
    expect(metricFamilies(text).get("stepwise_process_cpu_seconds_total")).toBe("counter");
    expect(sampleValue(samples, "stepwise_metrics_collect_failures_total")).toBeUndefined();

    for (const { executionArn } of started) await t.runtime.engine.stop(executionArn);
    const after = parseSamples(await (await fetch(`${endpoint}/metrics`)).text());
    expect(sampleValue(after, "stepwise_executions_running", { state_machine: "metrics-napping" })).toBeUndefined();
    expect(sampleValue(after, "stepwise_executions_finished_total", { state_machine: "metrics-napping", status: "ABORTED" })).toBe(5);
  }, 30_000);
});
