import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  paginateGetExecutionHistory,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { largeInput, passChain, passChainEvents } from "../large-history.ts";
import { type AwsTestServer, ROLE_ARN, startAwsTestServer, waitForEnd } from "./test-server.ts";

/** 62 events of about 250 KB: 15 MB of history. */
const PASSES = 30;
const EVENTS = passChainEvents(PASSES);
const PAGE_BYTES = 1_048_576;
/** A page holds at most STEPWISE_HISTORY_PAGE_BYTES of stored events, plus their ids, types and timestamps. */
const PAGE_BOUND = PAGE_BYTES + 64 * 1024;

let s: AwsTestServer;
let executionArn: string;
beforeAll(async () => {
  s = await startAwsTestServer({ worker: { handlers: {} } });
  const { stateMachineArn } = await s.client.send(
    new CreateStateMachineCommand({ name: "large-events", definition: JSON.stringify(passChain(PASSES)), roleArn: ROLE_ARN }),
  );
  ({ executionArn } = (await s.client.send(new StartExecutionCommand({ stateMachineArn, input: largeInput(250_000) }))) as {
    executionArn: string;
  });
  expect((await waitForEnd(s.client, executionArn)).status).toBe("SUCCEEDED");
}, 60_000);
afterAll(() => s.close());

describe("GetExecutionHistory over events of 250 KB", () => {
  it("ends a page at the byte budget, before maxResults, with a nextToken", async () => {
    const page = await s.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(page.events!.length).toBeGreaterThan(0);
    expect(page.events!.length).toBeLessThan(EVENTS);
    expect(JSON.stringify(page.events).length).toBeLessThanOrEqual(PAGE_BOUND);
    expect(page.nextToken).toEqual(expect.any(String));
  });

  it("a paginator still gets every event, in order, both ways", async () => {
    for (const reverseOrder of [false, true]) {
      const ids: number[] = [];
      const sizes: number[] = [];
      for await (const page of paginateGetExecutionHistory({ client: s.client, pageSize: 1000 }, { executionArn, reverseOrder })) {
        ids.push(...page.events!.map((event) => event.id!));
        sizes.push(JSON.stringify(page.events).length);
      }
      const expected = Array.from({ length: EVENTS }, (_, i) => i + 1);
      expect(ids).toEqual(reverseOrder ? expected.reverse() : expected);
      expect(sizes.length).toBeGreaterThan(EVENTS / 5);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(PAGE_BOUND);
    }
  });

  it("maxResults still ends a page below the byte budget", async () => {
    const page = await s.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, includeExecutionData: false }));
    expect(page.events!.map((event) => event.id)).toEqual([1, 2, 3]);
    const last = await s.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder: true }));
    expect(last.events!.map((event) => event.type)).toEqual(["ExecutionSucceeded"]);
    expect(last.nextToken).toBeDefined();
  });
});
