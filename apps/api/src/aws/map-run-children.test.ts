import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS_KEY_ID, type AwsTestServer, ROLE_ARN, SECRET_ACCESS_KEY, startAwsTestServer, waitForEnd } from "./test-server.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const SCOPED_KEY = "AKIDSCOPEDCHILDREN";

let release = () => {};
const held = new Promise<void>((resolve) => {
  release = resolve;
});
let holding = 0;

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer({
    apiEnv: {
      STEPWISE_ACCESS_KEYS: `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY},${SCOPED_KEY}:scoped-secret`,
      STEPWISE_KEY_SCOPES: JSON.stringify({ [SCOPED_KEY]: { stateMachines: ["team-a"] } }),
    },
    worker: {
      handlers: {
        hold: async (input) => {
          holding += 1;
          await held;
          return input;
        },
      },
    },
  });
});
afterAll(() => {
  release();
  return s.close();
});

/** The user's machine: each invoice checked by its own child workflow; unpaid ones fail, within the tolerance. */
const INVOICES = {
  StartAt: "Check",
  States: {
    Check: {
      Type: "Map",
      Label: "Invoices",
      ToleratedFailurePercentage: 50,
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "Paid?",
        States: {
          "Paid?": { Type: "Choice", Choices: [{ Variable: "$.paid", BooleanEquals: true, Next: "Ok" }], Default: "Unpaid" },
          Ok: { Type: "Pass", Parameters: { "invoice.$": "$.id", status: "ok" }, End: true },
          Unpaid: { Type: "Fail", Error: "Invoice.Unpaid", Cause: "not paid" },
        },
      },
      End: true,
    },
  },
};

async function startMachine(name: string, definition: unknown, input: unknown) {
  const machine = await s.client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }));
  const started = await s.client.send(
    new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: JSON.stringify(input) }),
  );
  return { machineArn: machine.stateMachineArn as string, executionArn: started.executionArn as string };
}

async function mapRunOf(executionArn: string): Promise<string> {
  const { events } = await s.client.send(new GetExecutionHistoryCommand({ executionArn }));
  return events?.find((e) => e.type === "MapRunStarted")?.mapRunStartedEventDetails?.mapRunArn as string;
}

async function allChildren(mapRunArn: string, statusFilter?: "SUCCEEDED" | "FAILED" | "RUNNING" | "ABORTED") {
  const found: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await s.client.send(new ListExecutionsCommand({ mapRunArn, statusFilter, maxResults: 2, nextToken }));
    found.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return found;
}

describe("a user examines the child workflow executions of a Map Run", () => {
  it("lists them by Map Run and status, and opens one: its input, output, history and the Map Run's state machine", async () => {
    const invoices = [
      { id: "A-1", paid: true },
      { id: "A-2", paid: false },
      { id: "A-3", paid: true },
      { id: "A-4", paid: true },
      { id: "A-5", paid: false },
    ];
    const { machineArn, executionArn } = await startMachine("invoices", INVOICES, invoices);
    const parent = await waitForEnd(s.client, executionArn);
    expect(parent.status).toBe("SUCCEEDED");
    const mapRunArn = await mapRunOf(executionArn);

    const children = await allChildren(mapRunArn);
    expect(children).toHaveLength(5);
    for (const child of children) {
      expect(child).toMatchObject({ stateMachineArn: `${machineArn}/Invoices`, mapRunArn });
      expect(child.executionArn?.startsWith(`${machineArn.replace(":stateMachine:", ":execution:")}/Invoices:`)).toBe(true);
    }
    expect((await allChildren(mapRunArn, "FAILED")).length).toBe(2);
    const succeeded = await allChildren(mapRunArn, "SUCCEEDED");
    expect(succeeded.length).toBe(3);

    const described = await Promise.all(
      succeeded.map((c) => s.client.send(new DescribeExecutionCommand({ executionArn: c.executionArn }))),
    );
    const outputs = described.map((d) => JSON.parse(d.output as string)).sort((a, b) => a.invoice.localeCompare(b.invoice));
    expect(outputs).toEqual([
      { invoice: "A-1", status: "ok" },
      { invoice: "A-3", status: "ok" },
      { invoice: "A-4", status: "ok" },
    ]);
    for (const d of described) expect(d).toMatchObject({ status: "SUCCEEDED", mapRunArn, stateMachineArn: `${machineArn}/Invoices` });

    const failed = (await allChildren(mapRunArn, "FAILED"))[0] as ExecutionListItem;
    const failure = await s.client.send(new DescribeExecutionCommand({ executionArn: failed.executionArn }));
    expect(failure).toMatchObject({ status: "FAILED", error: "Invoice.Unpaid", cause: "not paid" });
    const { events } = await s.client.send(new GetExecutionHistoryCommand({ executionArn: failed.executionArn }));
    expect(events?.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "FailStateEntered",
      "ExecutionFailed",
    ]);

    const machine = await s.client.send(new DescribeStateMachineForExecutionCommand({ executionArn: failed.executionArn }));
    expect(machine).toMatchObject({ stateMachineArn: `${machineArn}/Invoices`, mapRunArn, label: "Invoices" });
    expect(JSON.parse(machine.definition as string)).toEqual({
      StartAt: "Paid?",
      States: INVOICES.States.Check.ItemProcessor.States,
    });

    // The parent's own history records the Map Run, not the children's states.
    const parentEvents = (await s.client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    expect(parentEvents.some((e) => e.type?.startsWith("Choice") || e.type?.startsWith("Pass") || e.type?.startsWith("MapIteration"))).toBe(
      false,
    );
  });

  it("a key scoped to the machine reads its children; one scoped elsewhere is refused them", async () => {
    const scoped = s.clientWith({ credentials: { accessKeyId: SCOPED_KEY, secretAccessKey: "scoped-secret" } });
    const own = await startMachine("team-a", INVOICES, [{ id: "B-1", paid: true }]);
    await waitForEnd(s.client, own.executionArn);
    const ownRun = await mapRunOf(own.executionArn);
    const [ownChild] = (await scoped.send(new ListExecutionsCommand({ mapRunArn: ownRun }))).executions ?? [];
    expect((await scoped.send(new DescribeExecutionCommand({ executionArn: ownChild?.executionArn }))).status).toBe("SUCCEEDED");

    const other = await startMachine("team-b", INVOICES, [{ id: "C-1", paid: true }]);
    await waitForEnd(s.client, other.executionArn);
    const otherRun = await mapRunOf(other.executionArn);
    const [otherChild] = await allChildren(otherRun);
    await expect(scoped.send(new DescribeExecutionCommand({ executionArn: otherChild?.executionArn }))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    await expect(scoped.send(new ListExecutionsCommand({ mapRunArn: otherRun }))).rejects.toMatchObject({ name: "AccessDeniedException" });
  });

  it("stopping the parent stops every child still running", async () => {
    const definition = {
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: {
            ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
            StartAt: "Hold",
            States: { Hold: { Type: "Task", Resource: lambda("hold"), End: true } },
          },
          End: true,
        },
      },
    };
    const { executionArn } = await startMachine("held", definition, [1, 2, 3]);
    await expect.poll(() => holding, { timeout: 20_000 }).toBe(3);
    const mapRunArn = await mapRunOf(executionArn);
    expect((await allChildren(mapRunArn, "RUNNING")).length).toBe(3);

    await s.client.send(new StopExecutionCommand({ executionArn, error: "Operator.Stop" }));
    await expect.poll(async () => (await allChildren(mapRunArn, "ABORTED")).length, { timeout: 20_000 }).toBe(3);
    expect(await allChildren(mapRunArn, "RUNNING")).toEqual([]);
  });
});
