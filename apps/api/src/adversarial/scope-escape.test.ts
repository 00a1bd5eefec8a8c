/**
 * The scope escape of issue 15, played as the reviewer played it: the orders team's key (scope
 * `orders-*`) tries every way it found, and a few more, to make a machine of its own start `billing-*`
 * machines and hand their output back. Refused when the definition is created where that can be seen;
 * refused when the nested start happens in every case, even one whose definition never met the
 * create-time check. Nothing out of scope runs; the same attack by the unscoped key does run, so the
 * refusals are the scope's doing.
 */
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from "@aws-sdk/client-sfn";
import { updateStateMachine } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection } from "../aws/test-server.ts";
import { send } from "../live-api.ts";
import { machineArn, ORDERS_TOKEN, ROLE_ARN, type ScopedApi, startScopedApi } from "../scoped-api.ts";

const SYNC = "arn:aws:states:::states:startExecution.sync:2";
const BILLING = machineArn("billing-report");
const oneTask = (task: object) => JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", End: true, ...task } } });
/** Starts the machine the input's `target` names, and answers with that machine's output. */
const router = oneTask({ Resource: SYNC, Parameters: { "StateMachineArn.$": "$.target", Input: {} } });

let api: ScopedApi;
beforeAll(async () => {
  api = await startScopedApi();
  const billing = JSON.stringify({
    StartAt: "Ledger",
    States: { Ledger: { Type: "Pass", Result: { secret: "billing ledger" }, End: true } },
  });
  await api.admin.send(new CreateStateMachineCommand({ name: "billing-report", definition: billing, roleArn: ROLE_ARN, publish: true }));
  await api.admin.send(
    new CreateStateMachineAliasCommand({ name: "live", routingConfiguration: [{ stateMachineVersionArn: `${BILLING}:1`, weight: 100 }] }),
  );
  // Machines the unscoped key may write as it likes, inside the orders team's scope: what they start is
  // chosen by whoever starts them.
  await api.admin.send(new CreateStateMachineCommand({ name: "orders-router", definition: router, roleArn: ROLE_ARN }));
  const invoker = oneTask({
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { "FunctionName.$": "$.fn", "Payload.$": "$.payload" },
  });
  await api.admin.send(new CreateStateMachineCommand({ name: "orders-invoker", definition: invoker, roleArn: ROLE_ARN }));
}, 15_000);
afterAll(() => api.close());

/** Starts `name` with the orders key and waits for it to end. */
async function ordersRun(name: string, input: object) {
  const { executionArn } = await api.orders.send(
    new StartExecutionCommand({ stateMachineArn: machineArn(name), input: JSON.stringify(input) }),
  );
  return (await api.t.waitFor(executionArn as string, 8_000)).execution;
}

const expectRefusedAtRunTime = (
  execution: { status?: string; error?: string | null; cause?: string | null },
  target: string,
  principal = "Access key AKIDORDERS",
) => {
  expect(execution.status).toBe("FAILED");
  expect(execution.error).toBe("StepFunctions.AccessDeniedException");
  expect(execution.cause).toContain(
    `${principal} is not authorized to perform: states:StartExecution on resource: ${target} because it is outside the scope of the credential that started the execution`,
  );
};

describe("creating a machine that names an in-scope target literally and the real one through .$", () => {
  const inScope = machineArn("orders-router");
  const attempts: Array<[string, object]> = [
    ["startExecution.sync:2", { Resource: SYNC, Parameters: { StateMachineArn: inScope, "StateMachineArn.$": "$.target" } }],
    [
      "lambda:invoke with FunctionName",
      {
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "callback", "FunctionName.$": "$.fn", Payload: { StateMachineArn: inScope } },
      },
    ],
    [
      "the states-startExecution function name",
      {
        Resource: "arn:aws:lambda:us-east-1:123456789012:function:states-startExecution",
        Parameters: { "StateMachineArn.$": "$.target", StateMachineArn: inScope },
      },
    ],
  ];

  it.each(attempts)("is refused as an invalid definition (%s): a payload template may not hold both", async (_way, task) => {
    const error = await rejection(
      api.orders.send(new CreateStateMachineCommand({ name: "orders-nest", definition: oneTask(task), roleArn: ROLE_ARN })),
    );
    expect(error.name).toBe("InvalidDefinition");
    expect(error.message).toMatch(/The field '(StateMachineArn|FunctionName)' is given twice/);
    const missing = await rejection(api.admin.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn("orders-nest") })));
    expect(missing.name).toBe("StateMachineDoesNotExist");
  });

  it.each(attempts)("without the literal twin, is refused as a target chosen at run time (%s)", async (_way, task) => {
    const { Parameters, ...rest } = task as { Parameters: Record<string, unknown> };
    const dynamicOnly = Object.fromEntries(Object.entries(Parameters).filter(([key]) => !Object.hasOwn(Parameters, `${key}.$`)));
    const error = await rejection(
      api.orders.send(
        new CreateStateMachineCommand({
          name: "orders-nest",
          definition: oneTask({ ...rest, Parameters: dynamicOnly }),
          roleArn: ROLE_ARN,
        }),
      ),
    );
    expect(error.name).toBe("AccessDeniedException");
    expect(error.message).toContain("it starts a state machine chosen at run time");
  });
});

describe("a nested start at run time, whatever the definition let through", () => {
  it("is refused for a billing-* machine, its version and its alias read from the input", async () => {
    const executions = await Promise.all(
      [BILLING, `${BILLING}:1`, `${BILLING}:live`].map((target) =>
        ordersRun("orders-router", { target }).then((e) => [target, e] as const),
      ),
    );
    for (const [target, execution] of executions) expectRefusedAtRunTime(execution, target);
  });

  it("is refused through lambda:invoke whose FunctionName, read from the input, names the startExecution handler", async () => {
    const execution = await ordersRun("orders-invoker", { fn: "states-startExecution", payload: { StateMachineArn: BILLING } });
    expectRefusedAtRunTime(execution, BILLING);
  });

  it("is refused for a definition that never met the create-time check (written straight to Postgres)", async () => {
    const harmless = oneTask({ Type: "Pass" });
    const { stateMachineArn } = await api.orders.send(
      new CreateStateMachineCommand({ name: "orders-tampered", definition: harmless, roleArn: ROLE_ARN }),
    );
    const tampered = oneTask({
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:states-startExecution",
      Parameters: { StateMachineArn: `${BILLING}:live` },
    });
    await updateStateMachine(api.t.runtime.db, stateMachineArn as string, { definition: tampered });
    expectRefusedAtRunTime(await ordersRun("orders-tampered", {}), `${BILLING}:live`);
  });

  it("is refused for executions started through the REST API with the orders team's token", async () => {
    const started = await send(
      api.endpoint,
      "POST",
      "/v1/state-machines/orders-router/executions",
      { authorization: `Bearer ${ORDERS_TOKEN}`, "content-type": "application/json" },
      JSON.stringify({ input: { target: BILLING } }),
    );
    expect(started.status).toBe(201);
    const { execution } = await api.t.waitFor(started.json().executionArn, 8_000);
    expectRefusedAtRunTime(execution, BILLING, "Bearer token 2 of STEPWISE_API_TOKENS");
  });

  it("is refused inside an Express execution started with StartSyncExecution", async () => {
    const fireAndForget = oneTask({ Resource: "arn:aws:states:::states:startExecution", Parameters: { "StateMachineArn.$": "$.target" } });
    await api.admin.send(
      new CreateStateMachineCommand({ name: "orders-express-router", definition: fireAndForget, roleArn: ROLE_ARN, type: "EXPRESS" }),
    );
    const answer = await api.orders.send(
      new StartSyncExecutionCommand({ stateMachineArn: machineArn("orders-express-router"), input: JSON.stringify({ target: BILLING }) }),
    );
    expectRefusedAtRunTime(answer, BILLING);
  });

  it("is refused two levels down: a child started for the orders key acts for the orders key too", async () => {
    const chain = oneTask({ Resource: SYNC, Parameters: { StateMachineArn: machineArn("orders-router"), "Input.$": "$" } });
    await api.orders.send(new CreateStateMachineCommand({ name: "orders-chain", definition: chain, roleArn: ROLE_ARN }));
    const execution = await ordersRun("orders-chain", { target: BILLING });
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("States.TaskFailed");
    const child = JSON.parse(execution.cause as string) as { StateMachineArn: string; Error: string; Cause: string };
    expect(child.StateMachineArn).toBe(machineArn("orders-router"));
    expect(child.Error).toBe("StepFunctions.AccessDeniedException");
    expect(child.Cause).toContain(`on resource: ${BILLING} because it is outside the scope`);
  });

  it("is refused when the orders key redrives an execution the unscoped key started", async () => {
    // The unscoped key's run fails: the machine it starts does not exist yet.
    const later = machineArn("billing-later");
    const { executionArn } = await api.admin.send(
      new StartExecutionCommand({ stateMachineArn: machineArn("orders-router"), input: JSON.stringify({ target: later }) }),
    );
    expect((await api.t.waitFor(executionArn as string, 8_000)).execution.status).toBe("FAILED");
    const ledger = JSON.stringify({ StartAt: "L", States: { L: { Type: "Pass", Result: { secret: "later ledger" }, End: true } } });
    await api.admin.send(new CreateStateMachineCommand({ name: "billing-later", definition: ledger, roleArn: ROLE_ARN }));

    // The orders key may redrive it (the machine is in its scope), but the redriven run acts for the
    // orders key: the nested start it makes now is held to the orders key's scope.
    await api.orders.send(new RedriveExecutionCommand({ executionArn }));
    const { execution } = await api.t.waitFor(executionArn as string, 8_000);
    expectRefusedAtRunTime(execution, later);
    expect((await api.admin.send(new ListExecutionsCommand({ stateMachineArn: later }))).executions).toEqual([]);
    const described = await api.orders.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.output).toBeUndefined();
  });

  it("let nothing out of scope run, while the unscoped key's same attack does run it", async () => {
    const ran = await api.admin.send(new ListExecutionsCommand({ stateMachineArn: BILLING }));
    expect(ran.executions).toEqual([]);

    const { executionArn } = await api.admin.send(
      new StartExecutionCommand({ stateMachineArn: machineArn("orders-router"), input: JSON.stringify({ target: BILLING }) }),
    );
    const { execution } = await api.t.waitFor(executionArn as string, 8_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output as string).Output).toEqual({ secret: "billing ledger" });
  });
});
