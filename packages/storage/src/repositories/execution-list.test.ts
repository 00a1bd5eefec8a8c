import { createTestDatabase, type TestDatabase } from "@stepwise/testkit/database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidToken } from "../errors.ts";
import { executionArn, givenExecution, givenStateMachine, stateMachineArn } from "../test-fixtures.ts";
import { listExecutions } from "./execution-list.ts";
import { finishExecution } from "./executions.ts";

const VERSION = `${stateMachineArn("m")}:1`;
const ALIAS = `${stateMachineArn("m")}:live`;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await givenStateMachine(t.db, "m");
  await givenStateMachine(t.db, "other");
  // Two executions share a start date, so the arn has to break the tie.
  const starts = ["2025-01-01T00:00:01Z", "2025-01-01T00:00:02Z", "2025-01-01T00:00:02Z", "2025-01-01T00:00:03Z", "2025-01-01T00:00:04Z"];
  // e1 and e2 ran version 1, e2 picked by the alias "live".
  const through = [{}, { stateMachineVersionArn: VERSION }, { stateMachineVersionArn: VERSION, stateMachineAliasArn: ALIAS }];
  for (const [i, start] of starts.entries()) {
    await givenExecution(t.db, "m", `e${i}`, { startDate: new Date(start), ...through[i] });
  }
  await givenExecution(t.db, "other", "elsewhere");
  await finishExecution(t.db, executionArn("m", "e3"), {
    status: "SUCCEEDED",
    output: "{}",
    stopDate: new Date("2025-01-01T00:01:00Z"),
  });
});
afterAll(() => t.drop());

async function allPages(request: Parameters<typeof listExecutions>[1]): Promise<string[][]> {
  const pages: string[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await listExecutions(t.db, { ...request, nextToken });
    pages.push(page.items.map((item) => item.name));
    nextToken = page.nextToken;
  } while (nextToken);
  return pages;
}

describe("listExecutions", () => {
  it("lists a machine's executions newest first, page by page", async () => {
    expect(await allPages({ stateMachineArn: stateMachineArn("m"), maxResults: 2 })).toEqual([["e4", "e3"], ["e2", "e1"], ["e0"]]);
  });

  it("filters by status", async () => {
    expect(await allPages({ stateMachineArn: stateMachineArn("m"), statusFilter: "RUNNING", maxResults: 3 })).toEqual([
      ["e4", "e2", "e1"],
      ["e0"],
    ]);
    const [succeeded] = await allPages({ stateMachineArn: stateMachineArn("m"), statusFilter: "SUCCEEDED" });
    expect(succeeded).toEqual(["e3"]);
  });

  it("returns summaries without payloads", async () => {
    const { items } = await listExecutions(t.db, { stateMachineArn: stateMachineArn("other") });
    expect(items).toEqual([
      {
        arn: expect.stringContaining(":execution:other:elsewhere"),
        stateMachineArn: stateMachineArn("other"),
        name: "elsewhere",
        status: "RUNNING",
        startDate: new Date("2025-01-01T00:00:00.000Z"),
        stopDate: null,
        redriveCount: 0,
        redriveDate: null,
        stateMachineVersionArn: null,
        stateMachineAliasArn: null,
      },
    ]);
  });

  it("lists the executions started through a version or an alias", async () => {
    expect(await allPages({ stateMachineArn: stateMachineArn("m"), through: { versionArn: VERSION }, maxResults: 1 })).toEqual([
      ["e2"],
      ["e1"],
    ]);
    const { items } = await listExecutions(t.db, { stateMachineArn: stateMachineArn("m"), through: { aliasArn: ALIAS } });
    expect(items).toEqual([expect.objectContaining({ name: "e2", stateMachineVersionArn: VERSION, stateMachineAliasArn: ALIAS })]);
  });

  it("rejects a token issued for another listing", async () => {
    const { nextToken } = await listExecutions(t.db, { stateMachineArn: stateMachineArn("m"), maxResults: 1 });
    await expect(listExecutions(t.db, { stateMachineArn: stateMachineArn("m"), statusFilter: "RUNNING", nextToken })).rejects.toThrow(
      InvalidToken,
    );
  });
});
