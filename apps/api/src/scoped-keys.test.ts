/**
 * Teams sharing one Stepwise through scoped credentials (STEPWISE_KEY_SCOPES): the orders team's key and
 * token work with `orders-*` as with an unscoped key, cannot reach `billing-*` through the AWS SDK, the
 * REST API, a task token or a definition, and the unscoped key still reaches everything.
 */
import { spawn } from "node:child_process";
import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListActivitiesCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { REPO_ROOT } from "@stepwise/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection } from "./aws/test-server.ts";
import { send } from "./live-api.ts";
import {
  ADMIN_TOKEN,
  activityArn,
  callbackDefinition,
  machineArn,
  ORDERS_TOKEN,
  ROLE_ARN,
  type ScopedApi,
  startScopedApi,
} from "./scoped-api.ts";

const waitDefinition = JSON.stringify({ StartAt: "W", States: { W: { Type: "Wait", Seconds: 3600, End: true } } });
const startsMachine = (parameters: object) =>
  JSON.stringify({
    StartAt: "Child",
    States: { Child: { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: parameters, End: true } },
  });

let api: ScopedApi;
let billingExecution: string;

beforeAll(async () => {
  api = await startScopedApi();
  for (const name of ["billing-a", "billing-b"]) {
    await api.admin.send(new CreateStateMachineCommand({ name, definition: callbackDefinition, roleArn: ROLE_ARN }));
  }
  await api.admin.send(new CreateActivityCommand({ name: "billing-worker" }));
  billingExecution = (await api.admin.send(new StartExecutionCommand({ stateMachineArn: machineArn("billing-a") }))).executionArn as string;
});
afterAll(() => api.close());

const expectDenied = async (promise: Promise<unknown>, action: string, resource: string) => {
  const error = await rejection(promise);
  expect(error.name).toBe("AccessDeniedException");
  expect(error.$metadata?.httpStatusCode).toBe(400);
  expect(error.message).toContain(`is not authorized to perform: states:${action} on resource: ${resource}`);
};

const rest = async (method: string, path: string, token: string, body?: unknown) => {
  const answer = await send(
    api.endpoint,
    method,
    `/v1${path}`,
    { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body === undefined ? "" : JSON.stringify(body),
  );
  return { status: answer.status, body: answer.text === "" ? undefined : answer.json() };
};

describe("the orders team's access key, scoped to orders-*", () => {
  it("creates, starts, describes, lists and stops its own machines and executions", async () => {
    const { stateMachineArn } = await api.orders.send(
      new CreateStateMachineCommand({ name: "orders-fulfil", definition: waitDefinition, roleArn: ROLE_ARN }),
    );
    expect((await api.orders.send(new DescribeStateMachineCommand({ stateMachineArn }))).name).toBe("orders-fulfil");
    const { executionArn } = await api.orders.send(new StartExecutionCommand({ stateMachineArn, name: "order-1" }));
    expect((await api.orders.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
    const listed = await api.orders.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions?.map((e) => e.name)).toEqual(["order-1"]);
    expect((await api.orders.send(new GetExecutionHistoryCommand({ executionArn }))).events?.[0]?.type).toBe("ExecutionStarted");
    await api.orders.send(new StopExecutionCommand({ executionArn, error: "Cancelled" }));
    expect((await api.orders.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("ABORTED");
  });

  it("is refused every billing-* machine and execution, and its refusals change nothing", async () => {
    const billingArn = machineArn("billing-a");
    await expectDenied(
      api.orders.send(new DescribeStateMachineCommand({ stateMachineArn: billingArn })),
      "DescribeStateMachine",
      billingArn,
    );
    await expectDenied(api.orders.send(new StartExecutionCommand({ stateMachineArn: billingArn })), "StartExecution", billingArn);
    await expectDenied(api.orders.send(new ListExecutionsCommand({ stateMachineArn: billingArn })), "ListExecutions", billingArn);
    const executionArn = billingExecution;
    await expectDenied(api.orders.send(new DescribeExecutionCommand({ executionArn })), "DescribeExecution", executionArn);
    await expectDenied(api.orders.send(new StopExecutionCommand({ executionArn })), "StopExecution", executionArn);
    await expectDenied(api.orders.send(new GetExecutionHistoryCommand({ executionArn })), "GetExecutionHistory", executionArn);
    await expectDenied(
      api.orders.send(new CreateStateMachineCommand({ name: "billing-new", definition: waitDefinition, roleArn: ROLE_ARN })),
      "CreateStateMachine",
      machineArn("billing-new"),
    );

    expect((await api.admin.send(new DescribeExecutionCommand({ executionArn: billingExecution }))).status).toBe("RUNNING");
    const missing = await rejection(api.admin.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn("billing-new") })));
    expect(missing.name).toBe("StateMachineDoesNotExist");
  });

  it("answers a billing-* machine that does not exist exactly as one that does", async () => {
    const existing = await rejection(api.orders.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn("billing-b") })));
    const absent = await rejection(api.orders.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn("billing-x") })));
    expect([absent.name, absent.message]).toEqual([existing.name, existing.message.replace("billing-b", "billing-x")]);
  });

  it("lists only orders-* machines and activities, where the unscoped key lists everything", async () => {
    await api.admin.send(new CreateActivityCommand({ name: "orders-packer" }));
    const scoped = await api.orders.send(new ListStateMachinesCommand({}));
    expect(scoped.stateMachines?.every((m) => m.name?.startsWith("orders-"))).toBe(true);
    expect(scoped.stateMachines?.map((m) => m.name)).toContain("orders-fulfil");
    const all = await api.admin.send(new ListStateMachinesCommand({}));
    expect(all.stateMachines?.map((m) => m.name)).toEqual(expect.arrayContaining(["billing-a", "billing-b", "orders-fulfil"]));

    expect((await api.orders.send(new ListActivitiesCommand({}))).activities?.map((a) => a.name)).toEqual(["orders-packer"]);
    expect((await api.admin.send(new ListActivitiesCommand({}))).activities?.map((a) => a.name)).toEqual([
      "billing-worker",
      "orders-packer",
    ]);
  });

  it("pages through its own machines only, one at a time", async () => {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await api.orders.send(new ListStateMachinesCommand({ maxResults: 1, nextToken }));
      expect(page.stateMachines).toHaveLength(1);
      names.push(...(page.stateMachines ?? []).map((m) => m.name as string));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.startsWith("orders-"))).toBe(true);
  });

  it("cannot complete, fail or heartbeat a billing-* task with its token, but can its own", async () => {
    const billingToken = await api.tokenOf(billingExecution);
    const taskToken = billingToken;
    await expectDenied(api.orders.send(new SendTaskSuccessCommand({ taskToken, output: "{}" })), "SendTaskSuccess", "task token");
    await expectDenied(api.orders.send(new SendTaskFailureCommand({ taskToken, error: "Forged" })), "SendTaskFailure", "task token");
    await expectDenied(api.orders.send(new SendTaskHeartbeatCommand({ taskToken })), "SendTaskHeartbeat", "task token");
    expect((await api.admin.send(new DescribeExecutionCommand({ executionArn: billingExecution }))).status).toBe("RUNNING");

    await api.orders.send(new CreateStateMachineCommand({ name: "orders-approve", definition: callbackDefinition, roleArn: ROLE_ARN }));
    const own = (await api.orders.send(new StartExecutionCommand({ stateMachineArn: machineArn("orders-approve") })))
      .executionArn as string;
    await api.orders.send(new SendTaskSuccessCommand({ taskToken: await api.tokenOf(own), output: '{"approved":true}' }));
    const { execution } = await api.t.waitFor(own);
    expect(execution.status).toBe("SUCCEEDED");
  });

  it("works the tasks of its own activity, whichever machine sent them, and of no other activity", async () => {
    await api.admin.send(new CreateActivityCommand({ name: "orders-picker" }));
    const definition = JSON.stringify({
      StartAt: "Pick",
      States: { Pick: { Type: "Task", Resource: activityArn("orders-picker"), End: true } },
    });
    await api.admin.send(new CreateStateMachineCommand({ name: "billing-picks", definition, roleArn: ROLE_ARN }));
    const { executionArn } = await api.admin.send(new StartExecutionCommand({ stateMachineArn: machineArn("billing-picks") }));

    await expectDenied(
      api.orders.send(new GetActivityTaskCommand({ activityArn: activityArn("billing-worker") })),
      "GetActivityTask",
      activityArn("billing-worker"),
    );
    let task: { taskToken?: string } = {};
    while (task.taskToken === undefined)
      task = await api.orders.send(new GetActivityTaskCommand({ activityArn: activityArn("orders-picker") }));
    await api.orders.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"picked":3}' }));
    const { execution } = await api.t.waitFor(executionArn as string);
    expect(execution.status).toBe("SUCCEEDED");
  });

  it("cannot create or update a machine whose tasks would start billing-* machines or use billing-* activities", async () => {
    const createWith = (name: string, definition: string) =>
      api.orders.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN }));
    await expectDenied(
      createWith("orders-sneaky", startsMachine({ StateMachineArn: machineArn("billing-a") })),
      "CreateStateMachine",
      machineArn("billing-a"),
    );
    await expectDenied(
      createWith("orders-sneaky", startsMachine({ "StateMachineArn.$": "$.target" })),
      "CreateStateMachine",
      "state 'Child'",
    );
    const usesBillingWorker = JSON.stringify({
      StartAt: "T",
      States: { T: { Type: "Task", Resource: activityArn("billing-worker"), End: true } },
    });
    await expectDenied(createWith("orders-sneaky", usesBillingWorker), "CreateStateMachine", activityArn("billing-worker"));

    const { stateMachineArn } = await createWith("orders-parent", startsMachine({ StateMachineArn: machineArn("orders-fulfil") }));
    await expectDenied(
      api.orders.send(new UpdateStateMachineCommand({ stateMachineArn, definition: usesBillingWorker })),
      "UpdateStateMachine",
      activityArn("billing-worker"),
    );
    const unchanged = await api.orders.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(unchanged.definition).toContain("orders-fulfil");
  });

  it("cannot hide a billing-* target behind an in-scope literal: the .$ twin is what would run", async () => {
    const twins = startsMachine({ StateMachineArn: machineArn("orders-fulfil"), "StateMachineArn.$": "$.target" });
    const error = await rejection(
      api.orders.send(new CreateStateMachineCommand({ name: "orders-twins", definition: twins, roleArn: ROLE_ARN })),
    );
    expect(error.name).toBe("InvalidDefinition");
    expect(error.message).toContain("The field 'StateMachineArn' is given twice");
  });

  it("starts, through its executions, only what it may start itself, whoever wrote the definition", async () => {
    // The unscoped key may write a machine that starts whatever its input names.
    await api.admin.send(
      new CreateStateMachineCommand({
        name: "orders-dispatch",
        definition: startsMachine({ "StateMachineArn.$": "$.target" }),
        roleArn: ROLE_ARN,
      }),
    );
    const report = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: "billing totals", End: true } } });
    await api.admin.send(new CreateStateMachineCommand({ name: "billing-totals", definition: report, roleArn: ROLE_ARN }));
    const start = async (client: typeof api.orders) => {
      const input = JSON.stringify({ target: machineArn("billing-totals") });
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machineArn("orders-dispatch"), input }));
      return (await api.t.waitFor(executionArn as string, 8_000)).execution;
    };

    const refused = await start(api.orders);
    expect([refused.status, refused.error]).toEqual(["FAILED", "StepFunctions.AccessDeniedException"]);
    expect(refused.cause).toContain(`states:StartExecution on resource: ${machineArn("billing-totals")} because it is outside the scope`);
    expect((await api.admin.send(new ListExecutionsCommand({ stateMachineArn: machineArn("billing-totals") }))).executions).toEqual([]);

    const allowed = await start(api.admin);
    expect(allowed.status).toBe("SUCCEEDED");
    expect(JSON.parse(allowed.output as string).Output).toBe("billing totals");
  });
});

describe("the orders team's bearer token, scoped to orders-*, on the REST API", () => {
  it("sees and runs orders-* only; billing-* answers 403 AccessDeniedException, streams and tasks included", async () => {
    const created = await rest("POST", "/state-machines", ORDERS_TOKEN, { name: "orders-rest", definition: JSON.parse(waitDefinition) });
    expect(created.status).toBe(201);
    const started = await rest("POST", "/state-machines/orders-rest/executions", ORDERS_TOKEN, { name: "r1" });
    expect(started.status).toBe(201);
    expect((await rest("GET", `/executions/${encodeURIComponent(started.body.executionArn)}`, ORDERS_TOKEN)).body.status).toBe("RUNNING");

    const machines = (await rest("GET", "/state-machines", ORDERS_TOKEN)).body.stateMachines.map((m: { name: string }) => m.name);
    expect(machines).toContain("orders-rest");
    expect(machines.filter((name: string) => !name.startsWith("orders-"))).toEqual([]);
    const executions = (await rest("GET", "/executions", ORDERS_TOKEN)).body.executions;
    expect(executions.map((e: { executionArn: string }) => e.executionArn)).toContain(started.body.executionArn);
    expect(executions.map((e: { stateMachineArn: string }) => e.stateMachineArn.split(":").at(-1)?.startsWith("orders-"))).not.toContain(
      false,
    );

    const billing = encodeURIComponent(billingExecution);
    const token = encodeURIComponent(await api.tokenOf(billingExecution));
    for (const [method, path, body] of [
      ["GET", "/state-machines/billing-a", undefined],
      ["POST", "/state-machines", { name: "billing-rest", definition: JSON.parse(waitDefinition) }],
      ["POST", "/state-machines/billing-a/executions", {}],
      ["GET", `/executions/${billing}`, undefined],
      ["GET", `/executions/${billing}/events/stream`, undefined],
      ["POST", `/executions/${billing}/stop`, {}],
      ["POST", `/tasks/${token}/success`, { output: {} }],
    ] as const) {
      const answer = await rest(method, path, ORDERS_TOKEN, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.error).toBe("AccessDeniedException");
      expect(answer.body.message).toMatch(/^Bearer token 2 of STEPWISE_API_TOKENS is not authorized to perform: (GET|POST) \/v1\//);
    }
    expect((await api.admin.send(new DescribeExecutionCommand({ executionArn: billingExecution }))).status).toBe("RUNNING");
  });

  it("leaves the unscoped token seeing everything", async () => {
    const machines = (await rest("GET", "/state-machines", ADMIN_TOKEN)).body.stateMachines.map((m: { name: string }) => m.name);
    expect(machines).toEqual(expect.arrayContaining(["billing-a", "orders-rest"]));
    expect((await rest("GET", "/state-machines/billing-a", ADMIN_TOKEN)).status).toBe(200);
    const executions = (await rest("GET", "/executions", ADMIN_TOKEN)).body.executions.map((e: { executionArn: string }) => e.executionArn);
    expect(executions).toContain(billingExecution);
  });
});

describe("a bad STEPWISE_KEY_SCOPES", () => {
  it("stops the API process at start-up, naming the entry", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/main.ts"], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: "silent",
        PORT: "0",
        STEPWISE_ACCESS_KEYS: "AKIDORDERS:secret",
        STEPWISE_KEY_SCOPES: JSON.stringify({ AKIDORDERS: { stateMachines: ["orders *"] } }),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      'Invalid configuration: STEPWISE_KEY_SCOPES entry for Access key AKIDORDERS: stateMachines.0: "orders *" is not a name pattern',
    );
  });
});
