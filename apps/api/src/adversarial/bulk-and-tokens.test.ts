/**
 * Adversarial review, findings 3 and 6, through the live API with authentication on: a Map too large for
 * one statement per item is stopped like any execution, and a forged nextToken on every paginated AWS
 * action and REST listing is the client's mistake (400 InvalidToken), never a logged server fault.
 */
import { Writable } from "node:stream";
import {
  CreateActivityCommand,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListActivitiesCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { createLogger } from "@stepwise/runtime";
import { executionThreads, taskTokens } from "@stepwise/storage";
import { generatedItemsMap } from "@stepwise/testkit";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveApi, send, startLiveApi } from "../live-api.ts";

const KEY = { id: "AKIDBULKTOKENS", secret: "bulk-tokens-secret/Q2xvY2tXb3Jr+9" };
const BEARER = "bulk-tokens-bearer-4e81c0";
const ROLE = "arn:aws:iam::123456789012:role/bulk";
const ITEMS = 70_000;

const pass = (comment: string) => JSON.stringify({ Comment: comment, StartAt: "P", States: { P: { Type: "Pass", End: true } } });
const distributedMap = (name: string, next: Record<string, unknown>) => ({
  [name]: {
    Type: "Map",
    ItemProcessor: {
      ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
      StartAt: `${name}Item`,
      States: { [`${name}Item`]: { Type: "Pass", End: true } },
    },
    ResultPath: null,
    ...next,
  },
});

/** Tokens as a client could forge them: valid base64url JSON, each part replaced by what its kind is not. */
function forgeries(real: string): string[] {
  const encode = (tuple: unknown) => Buffer.from(JSON.stringify(tuple)).toString("base64url");
  const [scope, ...parts] = JSON.parse(Buffer.from(real, "base64url").toString("utf8")) as [string, ...unknown[]];
  const badFor = (part: unknown): unknown[] =>
    typeof part === "number"
      ? ["12abc", -1, 1.5, 2 ** 31, 1e300, null]
      : typeof part === "string" && !Number.isNaN(Date.parse(part))
        ? ["yesterday", "2026-02-30T00:00:00.000Z", "9999999-01-01T00:00:00.000Z", 0, null]
        : [null, {}, ["x"], "a\u0000b"];
  const forged = parts.flatMap((part, i) => badFor(part).map((bad) => encode([scope, ...parts.map((p, j) => (j === i ? bad : p))])));
  return [
    ...forged,
    encode(["another-listing", ...parts]),
    encode([scope, ...parts, 1]),
    encode([scope]),
    encode({ scope, parts }),
    "bm90IGpzb24",
    "%%%",
  ];
}

describe("bulk statements and forged tokens, through the live API", () => {
  const logged: Array<{ level: number; msg: string; text: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        logged.push({ level: entry.level, msg: entry.msg, text: line });
      }
      done();
    },
  });
  let api: LiveApi;
  let sfn: SFNClient;
  let machineArn: string;
  let mapMachineArn: string;
  let executionArn: string;
  let mapExecutionArn: string;
  let machineName: string;

  const finished = async (arn: string) => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      if (status !== "RUNNING") return status;
    }
    throw new Error(`${arn} still RUNNING`);
  };

  beforeAll(async () => {
    api = await startLiveApi({
      apiEnv: { STEPWISE_ACCESS_KEYS: `${KEY.id}:${KEY.secret}`, STEPWISE_API_TOKENS: BEARER },
      prepare: (t) => {
        t.runtime.logger = createLogger("info", "bulk-tokens-test", sink);
        t.worker();
        t.scheduler();
      },
    });
    sfn = new SFNClient({
      endpoint: api.endpoint,
      region: api.region,
      credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
      maxAttempts: 1,
    });
    // Two of everything a listing pages through, so that a first page of one comes with a real token.
    machineName = "bulk-tokens-a";
    machineArn = (
      await sfn.send(new CreateStateMachineCommand({ name: machineName, definition: pass("v1"), roleArn: ROLE, publish: true }))
    ).stateMachineArn as string;
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: pass("v2"), publish: true }));
    await sfn.send(new CreateStateMachineCommand({ name: "bulk-tokens-b", definition: pass("b"), roleArn: ROLE }));
    for (const name of ["first", "second"]) {
      await sfn.send(
        new CreateStateMachineAliasCommand({ name, routingConfiguration: [{ stateMachineVersionArn: `${machineArn}:1`, weight: 100 }] }),
      );
      await sfn.send(new CreateActivityCommand({ name: `bulk-tokens-${name}` }));
    }
    const runs = await Promise.all([1, 2].map(() => sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: "{}" }))));
    executionArn = runs[0]?.executionArn as string;
    mapMachineArn = (
      await sfn.send(
        new CreateStateMachineCommand({
          name: "bulk-tokens-map-runs",
          roleArn: ROLE,
          definition: JSON.stringify({
            StartAt: "One",
            States: { ...distributedMap("One", { Next: "Two" }), ...distributedMap("Two", { End: true }) },
          }),
        }),
      )
    ).stateMachineArn as string;
    ({ executionArn: mapExecutionArn } = (await sfn.send(
      new StartExecutionCommand({ stateMachineArn: mapMachineArn, input: "[1, 2]" }),
    )) as {
      executionArn: string;
    });
    for (const run of [...runs.map((r) => r.executionArn as string), mapExecutionArn]) expect(await finished(run)).toBe("SUCCEEDED");
  }, 50_000);
  afterAll(async () => {
    sfn?.destroy();
    await api?.close();
  });

  /** Each paginated action: a call for a one-item page, given a nextToken or not. */
  const pagedActions: Record<string, (nextToken?: string) => Promise<{ nextToken?: string | undefined }>> = {
    ListStateMachines: (nextToken) => sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken })),
    ListActivities: (nextToken) => sfn.send(new ListActivitiesCommand({ maxResults: 1, nextToken })),
    ListExecutions: (nextToken) => sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 1, nextToken })),
    GetExecutionHistory: (nextToken) => sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, nextToken })),
    ListMapRuns: (nextToken) => sfn.send(new ListMapRunsCommand({ executionArn: mapExecutionArn, maxResults: 1, nextToken })),
    ListStateMachineVersions: (nextToken) =>
      sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn, maxResults: 1, nextToken })),
    ListStateMachineAliases: (nextToken) =>
      sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: machineArn, maxResults: 1, nextToken })),
  };

  it("answers a forged nextToken on every paginated AWS action with InvalidToken (400), logging no server fault", async () => {
    const before = logged.length;
    for (const [action, list] of Object.entries(pagedActions)) {
      const real = (await list()).nextToken;
      expect(real, `${action} pages`).toBeTypeOf("string");
      await expect(list(real), `${action} takes its own token`).resolves.toBeDefined();
      for (const forged of forgeries(real as string)) {
        const refused = await list(forged).then(
          () => undefined,
          (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => error,
        );
        expect({ action, forged, error: refused?.name, status: refused?.$metadata?.httpStatusCode }).toEqual({
          action,
          forged,
          error: "InvalidToken",
          status: 400,
        });
      }
    }
    const faults = logged.slice(before).filter((line) => line.level >= 50 || line.text.includes("params"));
    expect(faults.map((line) => line.text)).toEqual([]);
  }, 30_000);

  it("answers a forged nextToken on every REST listing with 400 InvalidToken, logging no server fault", async () => {
    const before = logged.length;
    const listings = [`/v1/state-machines`, `/v1/state-machines/${machineName}/executions`, `/v1/executions`];
    const headers = { authorization: `Bearer ${BEARER}` };
    for (const path of listings) {
      const first = await send(api.endpoint, "GET", `${path}?maxResults=1`, headers);
      expect(first.status, path).toBe(200);
      const real = first.json().nextToken as string;
      expect(real, `${path} pages`).toBeTypeOf("string");
      expect((await send(api.endpoint, "GET", `${path}?maxResults=1&nextToken=${real}`, headers)).status).toBe(200);
      for (const forged of forgeries(real)) {
        const answer = await send(api.endpoint, "GET", `${path}?maxResults=1&nextToken=${encodeURIComponent(forged)}`, headers);
        expect({ path, forged, status: answer.status, error: answer.json().error }).toEqual({
          path,
          forged,
          status: 400,
          error: "InvalidToken",
        });
      }
    }
    const faults = logged.slice(before).filter((line) => line.level >= 50 || line.text.includes("params"));
    expect(faults.map((line) => line.text)).toEqual([]);
  }, 30_000);

  it(`stops a Map of ${ITEMS} items with StopExecution, promptly, leaving nothing open`, async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: "bulk-tokens-huge-map",
        roleArn: ROLE,
        definition: JSON.stringify(generatedItemsMap(ITEMS, { StartAt: "P", States: { P: { Type: "Pass", End: true } } })),
      }),
    );
    const { executionArn: huge } = (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }))) as {
      executionArn: string;
    };
    const { db } = api.t.runtime;
    const threadsUnderWay = async () => {
      const [row] = await db
        .select({ n: count() })
        .from(executionThreads)
        .where(and(eq(executionThreads.executionArn, huge), inArray(executionThreads.status, ["RUNNING", "WAITING"])));
      return row?.n ?? 0;
    };
    // The Map has fanned out: its items are threads under way.
    await expect.poll(threadsUnderWay, { timeout: 40_000, interval: 200 }).toBeGreaterThan(ITEMS / 2);

    const stopping = Date.now();
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: huge, error: "Operator", cause: "too many items" }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(await finished(huge)).toBe("ABORTED");
    expect(Date.now() - stopping).toBeLessThan(15_000);
    const [open] = await db
      .select({ n: count() })
      .from(taskTokens)
      .where(and(eq(taskTokens.executionArn, huge), inArray(taskTokens.status, ["PENDING", "STARTED"])));
    expect({ threads: await threadsUnderWay(), tokens: open?.n ?? 0 }).toEqual({ threads: 0, tokens: 0 });
  }, 60_000);
});
