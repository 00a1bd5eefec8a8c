/**
 * OpenTelemetry traces as an operator sees them: Stepwise exports to an OTLP/HTTP receiver of the test's
 * own (a real HTTP server decoding the protocol), and the spans it received are checked as the tree a
 * trace viewer would draw. Tracing is configured only by the standard OTEL_* variables.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StateMachineDefinition } from "@stepwise/asl";
import { createStateMachine, getExecution } from "@stepwise/storage";
import { createTestRuntime, type OtlpReceiver, type ReceivedSpan, startOtlpReceiver, type TestRuntime } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateMachineArn } from "../arns.ts";
import { createMetrics } from "../metrics/create-metrics.ts";
import { type TaskContext, TaskFailure } from "../worker/task-handler.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
const CALLER_SPAN = "b7ad6b7169203331";

/** The spans of one trace, to walk as a tree. */
class Tree {
  constructor(readonly spans: ReceivedSpan[]) {}
  named(name: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.name === name);
  }
  one(name: string): ReceivedSpan {
    const found = this.named(name);
    if (found.length !== 1) throw new Error(`${found.length} spans named '${name}' in ${this.spans.map((s) => s.name).join(", ")}`);
    return found[0] as ReceivedSpan;
  }
  children(parent: ReceivedSpan): ReceivedSpan[] {
    return this.spans.filter((s) => s.parentSpanId === parent.spanId).sort((a, b) => a.startMs - b.startMs);
  }
  parent(span: ReceivedSpan): ReceivedSpan | undefined {
    return this.spans.find((s) => s.spanId === span.parentSpanId);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("an execution's trace, from the request that started it to its nested child", () => {
  let receiver: OtlpReceiver;
  let t: TestRuntime;
  let target: Server;
  let targetUrl = "";
  const targetSaw: string[] = [];
  const handlerTraces: Array<TaskContext["trace"]> = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    target = createServer((req, res) => {
      targetSaw.push(String(req.headers.traceparent));
      res.writeHead(200, { "content-type": "application/json" }).end('{"sent":true}');
    });
    targetUrl = `${await listen(target)}/notify`;
    t = await createTestRuntime({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: "orders-stepwise",
      OTEL_BSP_SCHEDULE_DELAY: "50",
      STEPWISE_HTTP_ALLOWED_HOSTS: "127.0.0.1",
    });
    let charges = 0;
    t.worker({
      handlers: {
        // Declined once, then charged: the Retry makes a second attempt. Each attempt adds a span of its own.
        charge: (_input, ctx) => {
          handlerTraces.push(ctx.trace);
          ctx.trace?.startSpan("card network call", { attributes: { "card.attempt": charges + 1 } }).end();
          charges += 1;
          if (charges === 1) throw new TaskFailure("Card.Busy", "the card network is busy");
          return { charged: true };
        },
        reserve: () => ({ reserved: true }),
      },
    });
    t.scheduler();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    target.close();
  });

  it("records the start, every transition, each task attempt's queue wait and run, the Wait, the Retry and the child", async () => {
    const child = await t.createMachine(
      { StartAt: "Reserve", States: { Reserve: { Type: "Task", Resource: lambda("reserve"), End: true } } },
      "reserve-stock",
    );
    const machine = await t.createMachine(
      {
        StartAt: "Charge",
        States: {
          Charge: {
            Type: "Task",
            Resource: lambda("charge"),
            Retry: [{ ErrorEquals: ["Card.Busy"], IntervalSeconds: 1, MaxAttempts: 2 }],
            ResultPath: "$.charge",
            Next: "Pause",
          },
          Pause: { Type: "Wait", Seconds: 1, Next: "Notify" },
          Notify: {
            Type: "Task",
            Resource: "arn:aws:states:::http:invoke",
            Parameters: { ApiEndpoint: targetUrl, Method: "POST", RequestBody: { order: 1 } },
            ResultPath: null,
            Next: "Both",
          },
          Both: {
            Type: "Parallel",
            Branches: [
              { StartAt: "Left", States: { Left: { Type: "Pass", End: true } } },
              { StartAt: "Right", States: { Right: { Type: "Pass", End: true } } },
            ],
            ResultPath: null,
            Next: "Stock",
          },
          Stock: {
            Type: "Task",
            Resource: "arn:aws:states:::states:startExecution.sync:2",
            Parameters: { StateMachineArn: child, Input: {} },
            End: true,
          },
        },
      } as StateMachineDefinition,
      "orders",
    );
    // The caller (an API client, say) sends its own trace context: the execution's trace continues it.
    const started = await t.runtime.engine.start({
      stateMachineArn: machine,
      input: "{}",
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    });
    const { execution } = await t.waitFor(started.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    const childArn = (JSON.parse(execution.output as string) as { ExecutionArn: string }).ExecutionArn;
    await receiver.waitFor((spans) => spans.some((s) => s.name === "execution orders"));
    const tree = new Tree(receiver.spans);

    // One trace, the caller's; nothing hangs from a span the receiver never got.
    expect(new Set(tree.spans.map((s) => s.traceId))).toEqual(new Set([CALLER_TRACE]));
    for (const span of tree.spans) expect(span.parentSpanId === CALLER_SPAN || tree.parent(span) !== undefined).toBe(true);
    expect(new Set(tree.spans.map((s) => s.serviceName))).toEqual(new Set(["orders-stepwise"]));

    const start = tree.named("StartExecution").find((s) => s.parentSpanId === CALLER_SPAN) as ReceivedSpan;
    expect(start.kind).toBe(2);
    expect(start.attributes).toMatchObject({
      "stepwise.execution.arn": started.executionArn,
      "aws.step_functions.state_machine.arn": machine,
    });
    const run = tree.one("execution orders");
    expect(run.parentSpanId).toBe(start.spanId);
    expect(run.startMs).toBe(execution.startDate.getTime());
    expect(run.attributes).toMatchObject({ "stepwise.execution.status": "SUCCEEDED", "stepwise.execution.arn": started.executionArn });
    // What lets any worker carry the trace on is stored with the execution.
    expect(execution.traceContext).toBe(`00-${CALLER_TRACE}-${run.spanId}-01;${start.spanId}`);

    // Each transition is a span of the execution, named by what moved it and the state it was in.
    const transitions = tree.children(run).map((s) => s.name);
    expect(transitions).toEqual(
      expect.arrayContaining([
        "run Charge",
        "timerFired Charge",
        "timerFired Pause",
        "taskSucceeded Notify",
        "run Left",
        "run Right",
        "taskSubmitted Stock",
        "taskSucceeded Stock",
      ]),
    );
    for (const name of transitions) expect(name).toMatch(/^(run|timerFired|taskSucceeded|taskSubmitted) \w+$/);

    // Two attempts of Charge: the first failed and scheduled the Retry, the second (after it) succeeded.
    const [first, second] = tree.named("task Charge").sort((a, b) => a.startMs - b.startMs) as [ReceivedSpan, ReceivedSpan];
    expect(first.statusCode).toBe(2);
    expect(first.attributes).toMatchObject({
      "stepwise.task.outcome": "failed",
      "stepwise.error": "Card.Busy",
      "stepwise.task.handler": "charge",
    });
    expect(second.statusCode).not.toBe(2);
    expect(second.attributes).toMatchObject({ "stepwise.task.outcome": "succeeded" });
    for (const attempt of [first, second]) {
      const [queued, ran] = tree.children(attempt) as [ReceivedSpan, ReceivedSpan];
      expect([queued.name, ran.name]).toEqual(["queue Charge", "handler Charge"]);
      expect(queued.startMs).toBe(attempt.startMs);
      expect(ran.startMs).toBeGreaterThanOrEqual(queued.endMs);
      // The handler's own span hangs from its run.
      expect(tree.children(ran).map((s) => s.name)).toEqual(["card network call"]);
    }
    expect(handlerTraces.map((trace) => trace?.traceparent)).toEqual(
      tree
        .named("handler Charge")
        .sort((a, b) => a.startMs - b.startMs)
        .map((s) => `00-${CALLER_TRACE}-${s.spanId}-01`),
    );
    const retry = tree.one("Retry Charge");
    expect(tree.parent(retry)).toBe(tree.parent(first));
    expect(retry.endMs - retry.startMs).toBeGreaterThanOrEqual(950);
    expect(tree.parent(second)?.name).toBe("timerFired Charge");

    // The Wait's timer: from the transition that entered it until it fired.
    const wait = tree.one("Wait Pause");
    // The transition that entered the Wait: the retry's, when the handler answered inside it (inline), or
    // the one applying its result, when it answered later (a busy machine outlives the inline wait).
    expect(["timerFired Charge", "taskSucceeded Charge"]).toContain(tree.parent(wait)?.name);
    expect(wait.endMs - wait.startMs).toBeGreaterThanOrEqual(950);

    // The HTTP Task's request carried the trace context of its run.
    expect(targetSaw).toEqual([`00-${CALLER_TRACE}-${tree.one("handler Notify").spanId}-01`]);

    // The nested .sync child: started from its parent task's run, its whole execution beneath.
    const childStart = tree.named("StartExecution").find((s) => s.attributes["stepwise.execution.arn"] === childArn) as ReceivedSpan;
    expect(tree.parent(childStart)?.name).toBe("handler Stock");
    const childRun = tree.one("execution reserve-stock");
    expect(childRun.parentSpanId).toBe(childStart.spanId);
    expect(tree.children(childRun).map((s) => s.name)).toEqual(["run Reserve"]);
    expect(tree.children(tree.one("run Reserve")).map((s) => s.name)).toEqual(["task Reserve"]);
    expect((await getExecution(t.runtime.db, childArn)).traceContext).toBe(`00-${CALLER_TRACE}-${childRun.spanId}-01;${childStart.spanId}`);
  });

  it("puts a distributed Map's child executions under the transition that started them", async () => {
    const machine = await t.createMachine(
      {
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemProcessor: {
              ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
              StartAt: "Double",
              States: { Double: { Type: "Pass", End: true } },
            },
            End: true,
          },
        },
      } as StateMachineDefinition,
      "fan-out",
    );
    const { execution } = await t.run(machine, [1, 2]);
    expect(execution.status).toBe("SUCCEEDED");
    const trace = (execution.traceContext as string).split("-")[1] as string;
    const spans = await receiver.waitFor(
      (all) =>
        all.filter((s) => s.traceId === trace && s.name === "execution fan-out/Each").length === 2 &&
        all.some((s) => s.name === "execution fan-out"),
    );
    const tree = new Tree(spans.filter((s) => s.traceId === trace));
    const parentRun = tree.one("execution fan-out");
    for (const child of tree.named("execution fan-out/Each")) {
      const startedBy = tree.parent(child) as ReceivedSpan;
      expect(startedBy.parentSpanId).toBe(parentRun.spanId);
      expect(startedBy.attributes["stepwise.state.name"]).toBe("Each");
      expect(tree.children(child).map((s) => s.name)).toEqual(["run Double"]);
    }
  });
});

describe("which executions are traced", () => {
  let receiver: OtlpReceiver;
  let t: TestRuntime;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // Sampling off for everything but the state machines that ask for tracing; OTLP/JSON this time.
    t = await createTestRuntime({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_TRACES_SAMPLER: "always_off",
      OTEL_BSP_SCHEDULE_DELAY: "50",
    });
    t.worker({ handlers: { echo: (input) => input } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const machine = async (name: string, tracing: boolean) => {
    const arn = stateMachineArn({ region: t.config.STEPWISE_REGION, accountId: t.config.STEPWISE_ACCOUNT_ID }, name);
    const definition = { StartAt: "Echo", States: { Echo: { Type: "Task", Resource: lambda("echo"), End: true } } };
    await createStateMachine(t.runtime.db, {
      arn,
      name,
      definition: JSON.stringify(definition),
      roleArn: "arn:aws:iam::123456789012:role/test",
      type: "STANDARD",
      tracingConfiguration: { enabled: tracing },
    });
    return arn;
  };

  it("a state machine whose TracingConfiguration is enabled is sampled whatever OTEL_TRACES_SAMPLER says; others are not", async () => {
    const traced = await t.run(await machine("traced", true));
    const untraced = await t.run(await machine("untraced", false));
    expect(untraced.execution.traceContext).toBeNull();
    await receiver.waitFor((spans) => spans.some((s) => s.name === "execution traced"));
    await t.runtime.tracing?.flush();
    const arns = new Set(receiver.spans.map((s) => s.attributes["stepwise.execution.arn"]));
    expect(arns.has(traced.execution.arn)).toBe(true);
    expect(arns.has(untraced.execution.arn)).toBe(false);
    expect(new Set(receiver.contentTypes)).toEqual(new Set(["application/json"]));
  });

  it("continues an AWS X-Ray trace header given to StartExecution, which DescribeExecution still returns as given", async () => {
    const traceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    const started = await t.runtime.engine.start({ stateMachineArn: await machine("xray", true), traceHeader });
    const { execution } = await t.waitFor(started.executionArn);
    expect(execution.traceHeader).toBe(traceHeader);
    const spans = await receiver.waitFor((all) => all.some((s) => s.name === "execution xray"));
    const start = spans.find((s) => s.name === "StartExecution" && s.attributes["stepwise.execution.arn"] === execution.arn);
    expect(start).toMatchObject({ traceId: "5759e988bd862e3fe1be46a994272793", parentSpanId: "53995c3f42cd8ad8" });
  });
});

describe("tracing off, or its endpoint away", () => {
  it("without OTEL_* configuration nothing is traced: no tracer, no stored context, no ctx.trace, even for a caller's traceparent", async () => {
    const t = await createTestRuntime({ OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "" });
    try {
      const contexts: Array<TaskContext["trace"]> = [];
      t.worker({
        handlers: {
          look: (_input, ctx) => {
            contexts.push(ctx.trace);
            return {};
          },
        },
      });
      expect(t.runtime.tracing).toBeUndefined();
      const arn = await t.createMachine({ StartAt: "Look", States: { Look: { Type: "Task", Resource: lambda("look"), End: true } } });
      const started = await t.runtime.engine.start({ stateMachineArn: arn, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
      const { execution } = await t.waitFor(started.executionArn);
      expect(execution.status).toBe("SUCCEEDED");
      expect(execution.traceContext).toBeNull();
      expect(contexts).toEqual([undefined]);
    } finally {
      await t.close();
    }
  });

  it("an unreachable endpoint neither slows nor fails executions: its spans are dropped and counted", async () => {
    const gone = await startOtlpReceiver();
    await gone.close();
    const t = await createTestRuntime({
      OTEL_EXPORTER_OTLP_ENDPOINT: gone.url,
      OTEL_BSP_SCHEDULE_DELAY: "20",
      OTEL_EXPORTER_OTLP_TIMEOUT: "500",
    });
    try {
      t.worker({ handlers: { echo: (input) => input } });
      const metrics = createMetrics(t.runtime);
      const arn = await t.createMachine({ StartAt: "Echo", States: { Echo: { Type: "Task", Resource: lambda("echo"), End: true } } });
      const began = Date.now();
      const { execution } = await t.run(arn, { n: 1 });
      expect(execution.status).toBe("SUCCEEDED");
      expect(Date.now() - began).toBeLessThan(5_000);
      await t.runtime.tracing?.flush().catch(() => {});
      const deadline = Date.now() + 10_000;
      while (t.runtime.droppedSpans() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(t.runtime.droppedSpans()).toBeGreaterThan(0);
      expect(await metrics.registry.getSingleMetricAsString("stepwise_trace_spans_dropped_total")).toMatch(
        /stepwise_trace_spans_dropped_total [1-9]\d*$/m,
      );
      metrics.close();
    } finally {
      await t.close();
    }
  });
});
