import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  type MapRunListItem,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateMapRunCommand,
} from "@aws-sdk/client-sfn";
import { TaskFailure } from "@stepwise/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCESS_KEY_ID,
  type AwsTestServer,
  ROLE_ARN,
  rejection,
  SECRET_ACCESS_KEY,
  startAwsTestServer,
  waitForEnd,
} from "./test-server.ts";

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const SCOPED_KEY = "AKIDSCOPEDMAPRUNS";

/** Items of the `hold` handler wait here until the test opens it. */
function newGate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
let gate = newGate();
let held = 0;
/** Whether the `flaky` handler fails, until a test fixes it before a redrive. */
let flakyFails = true;

let s: AwsTestServer;
beforeAll(async () => {
  s = await startAwsTestServer({
    apiEnv: {
      STEPWISE_ACCESS_KEYS: `${ACCESS_KEY_ID}:${SECRET_ACCESS_KEY},${SCOPED_KEY}:scoped-secret`,
      STEPWISE_KEY_SCOPES: JSON.stringify({ [SCOPED_KEY]: { stateMachines: ["other-*"] } }),
    },
    worker: {
      handlers: {
        hold: async (input) => {
          held += 1;
          await gate.promise;
          return input;
        },
        flaky: (input) => {
          if (flakyFails) throw new TaskFailure("Item.Flaky", "not yet");
          return input;
        },
        oddFails: (input) => {
          const { n } = input as { n: number };
          if (n % 2 === 1) throw new TaskFailure("Item.Odd", `item ${n} is odd`);
          return { n };
        },
      },
    },
  });
});
afterAll(() => {
  gate.open();
  return s.close();
});

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

const taskItem = (handler: string) => ({ Type: "Task", Resource: lambda(handler), End: true });
const PASS_ITEM = { Type: "Pass", End: true };

/** Each item runs `itemStates` from the first (their names must differ from every other state's). */
const distributedMap = (name: string, itemStates: Record<string, unknown>, fields: Record<string, unknown>) => ({
  [name]: {
    Type: "Map",
    ItemProcessor: {
      ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
      StartAt: Object.keys(itemStates)[0],
      States: itemStates,
    },
    ...fields,
  },
});

/** Odd items fail, without a task. */
const ODD_ITEMS_FAIL = {
  Odd: {
    Type: "Choice",
    Choices: [
      { Variable: "$.n", NumericEquals: 1, Next: "Fails" },
      { Variable: "$.n", NumericEquals: 3, Next: "Fails" },
    ],
    Default: "Ok",
  },
  Fails: { Type: "Fail", Error: "Item.Odd" },
  Ok: { Type: "Pass", End: true },
};

let machines = 0;
async function start(states: Record<string, unknown>, startAt: string, input: unknown): Promise<string> {
  const definition = JSON.stringify({ StartAt: startAt, States: states });
  const machine = await s.client.send(new CreateStateMachineCommand({ name: `maps${++machines}`, definition, roleArn: ROLE_ARN }));
  const started = await s.client.send(
    new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn, input: JSON.stringify(input) }),
  );
  return started.executionArn!;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ended = (executionArn: string) => waitForEnd(s.client, executionArn);

async function mapRunArns(executionArn: string): Promise<string[]> {
  const { events } = await s.client.send(new GetExecutionHistoryCommand({ executionArn }));
  return events!.flatMap((e) => (e.type === "MapRunStarted" ? [e.mapRunStartedEventDetails!.mapRunArn!] : []));
}

const counts = (fields: Partial<Record<"pending" | "running" | "succeeded" | "failed" | "timedOut" | "aborted" | "total", number>>) => ({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  aborted: 0,
  total: 0,
  resultsWritten: 0,
  failuresNotRedrivable: 0,
  pendingRedrive: 0,
  ...fields,
});

describe("DescribeMapRun", () => {
  it("describes a running map run within its MaxConcurrency, then the run its stopped execution aborted", async () => {
    gate = newGate();
    held = 0;
    const executionArn = await start(
      distributedMap("Fan", { Work: taskItem("hold") }, { MaxConcurrency: 2, ToleratedFailurePercentage: 10, End: true }),
      "Fan",
      items(5),
    );
    await eventually("a held item", async () => (held > 0 ? true : undefined));
    const [mapRunArn] = await mapRunArns(executionArn);
    // Named like AWS's: the label, then an id of the run's own (a UUID, as AWS's).
    expect(mapRunArn).toMatch(new RegExp(`^${executionArn.replace(":execution:", ":mapRun:")}/Fan:[0-9a-f-]{36}$`));
    const running = await eventually("two running items", async () => {
      const run = await s.client.send(new DescribeMapRunCommand({ mapRunArn }));
      return run.itemCounts?.running === 2 ? run : undefined;
    });
    expect(running).toMatchObject({
      mapRunArn,
      executionArn,
      status: "RUNNING",
      maxConcurrency: 2,
      toleratedFailurePercentage: 10,
      toleratedFailureCount: 0,
      itemCounts: counts({ pending: 3, running: 2, total: 5 }),
      executionCounts: counts({ pending: 3, running: 2, total: 5 }),
      redriveCount: 0,
    });
    expect(running.startDate).toBeInstanceOf(Date);
    expect(running.stopDate).toBeUndefined();
    expect(held).toBeLessThanOrEqual(2);

    const { stopDate } = await s.client.send(new StopExecutionCommand({ executionArn }));
    gate.open();
    const aborted = await s.client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(aborted).toMatchObject({ status: "ABORTED", maxConcurrency: 2, itemCounts: counts({ aborted: 5, total: 5 }) });
    expect(aborted.startDate).toEqual(running.startDate);
    // The execution's stop, or a MapRunAborted event recorded as it stopped.
    expect(aborted.stopDate!.getTime()).toBeGreaterThanOrEqual(running.startDate!.getTime());
    expect(aborted.stopDate!.getTime()).toBeLessThanOrEqual(stopDate!.getTime());
  });

  it("describes a map run that succeeded within its tolerated failures, after its Map's thread moved on", async () => {
    const executionArn = await start(
      {
        ...distributedMap("Fan", ODD_ITEMS_FAIL, { MaxConcurrency: 2, ToleratedFailureCount: 3, Next: "Done" }),
        Done: { Type: "Pass", End: true },
      },
      "Fan",
      items(5),
    );
    const execution = await ended(executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    const [mapRunArn] = await mapRunArns(executionArn);
    const succeeded = await s.client.send(new DescribeMapRunCommand({ mapRunArn }));
    // The Map's thread is at Done now: the limits come from the definition, the counts from the items' threads.
    expect(succeeded).toMatchObject({
      mapRunArn,
      executionArn,
      status: "SUCCEEDED",
      maxConcurrency: 2,
      toleratedFailureCount: 3,
      toleratedFailurePercentage: 0,
      itemCounts: counts({ succeeded: 3, failed: 2, total: 5 }),
      executionCounts: counts({ succeeded: 3, failed: 2, total: 5 }),
    });
    expect(succeeded.startDate!.getTime()).toBeGreaterThanOrEqual(execution.startDate!.getTime());
    expect(succeeded.stopDate!.getTime()).toBeGreaterThanOrEqual(succeeded.startDate!.getTime());
    expect(succeeded.stopDate!.getTime()).toBeLessThanOrEqual(execution.stopDate!.getTime());
  });

  it("describes a map run that failed past its tolerated failures, with the items it failed, ran and never started", async () => {
    // One item at a time: 0 succeeds, 1 fails (tolerated), 2 succeeds, 3 fails (one too many), 4 and 5 never start.
    const executionArn = await start(
      distributedMap("Fan", { Work: taskItem("oddFails") }, { MaxConcurrency: 1, ToleratedFailureCount: 1, End: true }),
      "Fan",
      items(6),
    );
    const execution = await ended(executionArn);
    expect(execution).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    const [mapRunArn] = await mapRunArns(executionArn);
    const failed = await s.client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(failed).toMatchObject({
      status: "FAILED",
      maxConcurrency: 1,
      toleratedFailureCount: 1,
      toleratedFailurePercentage: 0,
      itemCounts: counts({ succeeded: 2, failed: 2, aborted: 2, total: 6 }),
      executionCounts: counts({ succeeded: 2, failed: 2, aborted: 2, total: 6 }),
    });
    expect(failed.stopDate!.getTime()).toBeLessThanOrEqual(execution.stopDate!.getTime());
  });

  it("describes a map run its execution's redrive ran again, with the redrive's count and date", async () => {
    flakyFails = true;
    const executionArn = await start(distributedMap("Fan", { Work: taskItem("flaky") }, { MaxConcurrency: 1, End: true }), "Fan", items(3));
    expect((await ended(executionArn)).status).toBe("FAILED");
    const [mapRunArn] = await mapRunArns(executionArn);
    // The first item fails the Map at once: the other two never start.
    expect(await s.client.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({
      status: "FAILED",
      redriveCount: 0,
      itemCounts: counts({ failed: 1, aborted: 2, total: 3 }),
    });

    flakyFails = false;
    const { redriveDate } = await s.client.send(new RedriveExecutionCommand({ executionArn }));
    expect((await ended(executionArn)).status).toBe("SUCCEEDED");
    const redriven = await s.client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(redriven).toMatchObject({ status: "SUCCEEDED", redriveCount: 1, itemCounts: counts({ succeeded: 3, total: 3 }) });
    expect(redriven.redriveDate!.getTime()).toBeGreaterThanOrEqual(redriveDate!.getTime());
    expect(redriven.stopDate!.getTime()).toBeGreaterThanOrEqual(redriven.redriveDate!.getTime());
  });
});

describe("ListMapRuns", () => {
  it("lists an execution's map runs in the order they started, page by page", async () => {
    const executionArn = await start(
      {
        ...distributedMap("First", { FirstItem: PASS_ITEM }, { Next: "Second" }),
        ...distributedMap("Second", { SecondItem: PASS_ITEM }, { Label: "again", End: true }),
      },
      "First",
      items(2),
    );
    expect((await ended(executionArn)).status).toBe("SUCCEEDED");
    const arns = await mapRunArns(executionArn);
    expect(arns).toHaveLength(2);
    expect(arns[1]).toMatch(/\/again:[0-9a-f-]{36}$/);

    const listed: MapRunListItem[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await s.client.send(new ListMapRunsCommand({ executionArn, maxResults: 1, nextToken }));
      expect(page.mapRuns).toHaveLength(1);
      listed.push(...page.mapRuns!);
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(2);
    expect(listed.map((run) => run.mapRunArn)).toEqual(arns);
    const { stateMachineArn } = await s.client.send(new DescribeExecutionCommand({ executionArn }));
    for (const run of listed) {
      expect(run).toMatchObject({ executionArn, stateMachineArn });
      expect(run.stopDate!.getTime()).toBeGreaterThanOrEqual(run.startDate!.getTime());
    }
    expect(listed[1]!.startDate!.getTime()).toBeGreaterThanOrEqual(listed[0]!.stopDate!.getTime());

    const all = await s.client.send(new ListMapRunsCommand({ executionArn }));
    expect(all.mapRuns!.map((run) => run.mapRunArn)).toEqual(arns);
    expect(all.nextToken).toBeUndefined();
    const second = await s.client.send(new DescribeMapRunCommand({ mapRunArn: arns[1] }));
    expect(second).toMatchObject({ status: "SUCCEEDED", itemCounts: counts({ succeeded: 2, total: 2 }) });
  });

  it("lists nothing for an execution without distributed Maps", async () => {
    const executionArn = await start({ P: { Type: "Pass", End: true } }, "P", {});
    expect((await s.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns).toEqual([]);
  });
});

describe("UpdateMapRun", () => {
  it("raises a running map run's MaxConcurrency: waiting items start, and DescribeMapRun shows the new limits", async () => {
    gate = newGate();
    held = 0;
    const executionArn = await start(
      distributedMap("Slow", { Hold: taskItem("hold") }, { MaxConcurrency: 1, End: true }),
      "Slow",
      items(3),
    );
    await eventually("a held item", async () => (held > 0 ? true : undefined));
    const [mapRunArn] = await mapRunArns(executionArn);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(held).toBe(1);
    await s.client.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3, toleratedFailurePercentage: 50 }));
    await eventually("three held items", async () => (held === 3 ? true : undefined));
    expect(await s.client.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({
      status: "RUNNING",
      maxConcurrency: 3,
      toleratedFailurePercentage: 50,
      itemCounts: counts({ running: 3, total: 3 }),
    });
    gate.open();
    expect((await ended(executionArn)).status).toBe("SUCCEEDED");
  });

  it("a tolerated failure count below the failures so far fails the map run with States.ExceedToleratedFailureThreshold", async () => {
    gate = newGate();
    held = 0;
    const executionArn = await start(
      distributedMap(
        "Mixed",
        {
          Pick: { Type: "Choice", Choices: [{ Variable: "$.n", NumericEquals: 0, Next: "Bad" }], Default: "Wait" },
          Bad: { Type: "Fail", Error: "Item.Bad" },
          Wait: taskItem("hold"),
        },
        { ToleratedFailureCount: 5, End: true },
      ),
      "Mixed",
      items(3),
    );
    const [mapRunArn] = await eventually("the map run", async () =>
      (await mapRunArns(executionArn)).length > 0 ? mapRunArns(executionArn) : undefined,
    );
    await eventually("a failed item", async () => {
      const run = await s.client.send(new DescribeMapRunCommand({ mapRunArn }));
      return run.itemCounts?.failed === 1 ? run : undefined;
    });
    await s.client.send(new UpdateMapRunCommand({ mapRunArn, toleratedFailureCount: 0 }));
    const execution = await ended(executionArn);
    gate.open();
    expect(execution).toMatchObject({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold" });
    expect(await s.client.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ status: "FAILED", toleratedFailureCount: 0 });
  });

  it("refuses a map run that has ended, one that does not exist, an update that changes nothing and limits out of range", async () => {
    const executionArn = await start(distributedMap("Quick", { QuickItem: PASS_ITEM }, { End: true }), "Quick", items(2));
    expect((await ended(executionArn)).status).toBe("SUCCEEDED");
    const [mapRunArn] = await mapRunArns(executionArn);
    const over = await rejection(s.client.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 5 })));
    expect(over).toMatchObject({
      name: "ValidationException",
      message: `Map Run ${mapRunArn} is SUCCEEDED: only a running Map Run can be updated`,
    });
    const missing = await rejection(s.client.send(new UpdateMapRunCommand({ mapRunArn: `${mapRunArn}0`, maxConcurrency: 5 })));
    expect(missing.name).toBe("ResourceNotFound");
    expect((await rejection(s.client.send(new UpdateMapRunCommand({ mapRunArn })))).name).toBe("ValidationException");
    const negative = await rejection(s.client.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: -1 })));
    expect(negative.name).toBe("ValidationException");
    const percent = await rejection(s.client.send(new UpdateMapRunCommand({ mapRunArn, toleratedFailurePercentage: 101 })));
    expect(percent.name).toBe("ValidationException");
    expect((await rejection(s.client.send(new UpdateMapRunCommand({ mapRunArn: "orders", maxConcurrency: 1 })))).name).toBe("InvalidArn");
  });
});

describe("map run errors", () => {
  const account = "arn:aws:states:us-east-1:123456789012";

  it("an ARN that is not a map run's is InvalidArn; a map run ARN naming nothing is ResourceNotFound", async () => {
    const notArn = await rejection(s.client.send(new DescribeMapRunCommand({ mapRunArn: "orders" })));
    expect(notArn).toMatchObject({ name: "InvalidArn", message: "Invalid Arn: 'Invalid ARN prefix: orders'" });
    const execution = await rejection(s.client.send(new DescribeMapRunCommand({ mapRunArn: `${account}:execution:m:e` })));
    expect(execution).toMatchObject({ name: "InvalidArn", message: "Invalid Arn: 'Resource type not valid in this context: execution'" });
    const noLabel = await rejection(s.client.send(new DescribeMapRunCommand({ mapRunArn: `${account}:mapRun:m:e` })));
    expect(noLabel.name).toBe("InvalidArn");
    for (const mapRunArn of [`${account}:mapRun:m:e/Fan:2`, `${account}:mapRun:m/label:0b1a6c5e-0000-4000-8000-000000000000`]) {
      const missing = await rejection(s.client.send(new DescribeMapRunCommand({ mapRunArn })));
      expect(missing).toMatchObject({ name: "ResourceNotFound", message: `Map Run Does Not Exist: '${mapRunArn}'` });
    }
  });

  it("ListMapRuns of an unknown execution is ExecutionDoesNotExist, of a map run ARN InvalidArn, with a foreign token InvalidToken", async () => {
    const unknown = await rejection(s.client.send(new ListMapRunsCommand({ executionArn: `${account}:execution:m:nobody` })));
    expect(unknown.name).toBe("ExecutionDoesNotExist");
    const wrongType = await rejection(s.client.send(new ListMapRunsCommand({ executionArn: `${account}:mapRun:m:e/Fan:2` })));
    expect(wrongType.name).toBe("InvalidArn");
    const executionArn = await start({ P: { Type: "Pass", End: true } }, "P", {});
    const badToken = await rejection(s.client.send(new ListMapRunsCommand({ executionArn, nextToken: "not-a-token" })));
    expect(badToken.name).toBe("InvalidToken");
  });

  it("ListExecutions of a map run naming nothing is ResourceNotFound; naming a map run and a machine together a ValidationException", async () => {
    const mapRunArn = `${account}:mapRun:m:e/Fan:2`;
    const missing = await rejection(s.client.send(new ListExecutionsCommand({ mapRunArn })));
    expect(missing).toMatchObject({ name: "ResourceNotFound", message: `Map Run Does Not Exist: '${mapRunArn}'` });
    const both = await rejection(s.client.send(new ListExecutionsCommand({ mapRunArn, stateMachineArn: `${account}:stateMachine:m` })));
    expect(both).toMatchObject({
      name: "ValidationException",
      message: "You can specify either a mapRunArn or a stateMachineArn, but not both",
    });
  });

  it("a scoped key is refused map runs of machines outside its scope, whether they exist or not", async () => {
    const executionArn = await start(distributedMap("Fan", { FanItem: PASS_ITEM }, { End: true }), "Fan", items(1));
    await ended(executionArn);
    const [mapRunArn] = await mapRunArns(executionArn);
    const scoped = s.clientWith({ credentials: { accessKeyId: SCOPED_KEY, secretAccessKey: "scoped-secret" } });
    for (const call of [
      scoped.send(new DescribeMapRunCommand({ mapRunArn })),
      scoped.send(new DescribeMapRunCommand({ mapRunArn: `${account}:mapRun:maps999:e/Fan:2` })),
      scoped.send(new ListMapRunsCommand({ executionArn })),
      scoped.send(new ListExecutionsCommand({ mapRunArn })),
    ]) {
      expect((await rejection(call)).name).toBe("AccessDeniedException");
    }
  });
});
