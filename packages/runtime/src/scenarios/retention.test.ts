import type { StateMachineDefinition } from "@stepwise/asl";
import { ExecutionDoesNotExist, getExecution, openSql, tagResource } from "@stepwise/storage";
import { createTestRuntime, parseSamples, sampleValue, type TestRuntime } from "@stepwise/testkit";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, type Metrics } from "../metrics/create-metrics.ts";
import { type ExpiryOptions, expireExecutions } from "../retention/expiry.ts";

const DAY = 86_400_000;

/** A distributed Map whose items are child executions; each item runs `inner` (its own states). */
function distributedMap(inner: Record<string, unknown>, startAt: string): StateMachineDefinition {
  return {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: startAt, States: inner },
        End: true,
      },
    },
  } as StateMachineDefinition;
}

/** Rows any table still holds for these executions. */
async function rowsLeft(sql: Sql, arns: readonly string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select ((select count(*) from executions where arn = any(${arns as string[]}))
      + (select count(*) from history_events where execution_arn = any(${arns as string[]}))
      + (select count(*) from execution_threads where execution_arn = any(${arns as string[]}))
      + (select count(*) from task_tokens where execution_arn = any(${arns as string[]}))
      + (select count(*) from timers where execution_arn = any(${arns as string[]}))
      + (select count(*) from child_results where execution_arn = any(${arns as string[]})))::int as n`;
  return row?.n ?? -1;
}

describe("closed executions are deleted once their retention period has passed", () => {
  let t: TestRuntime;
  let metrics: Metrics;
  let sql: Sql;
  beforeAll(async () => {
    t = await createTestRuntime();
    sql = openSql(t.runtime.config.DATABASE_URL, { max: 1 });
    metrics = createMetrics(t.runtime);
    t.worker({ handlers: {} });
  });
  afterAll(async () => {
    metrics.close();
    await sql.end({ timeout: 5 });
    await t.close();
  });

  const expire = (afterMs: number, options: ExpiryOptions = { maxExecutions: 1000, batch: 100, lockTimeoutMs: 1000 }) =>
    expireExecutions(
      {
        db: t.runtime.db,
        logger: t.runtime.logger,
        observers: t.runtime.observers,
        retentionMs: 90 * DAY,
        now: () => Date.now() + afterMs,
      },
      options,
    );

  it("a distributed Map's parent goes with its child executions and theirs, children first, over several bounded rounds", async () => {
    // Each item is itself a distributed Map over two items: children with children of their own.
    const machine = await t.createMachine(
      distributedMap({ Inner: distributedMap({ Leaf: { Type: "Pass", End: true } }, "Leaf").States.Each }, "Inner"),
    );
    const { execution } = await t.run(
      machine,
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      60_000,
    );
    expect(execution.status).toBe("SUCCEEDED");
    const childrenOf = async (arns: string[]) =>
      (await sql<{ arn: string }[]>`select arn from executions where parent_execution_arn = any(${arns})`).map((r) => r.arn);
    const children = await childrenOf([execution.arn]);
    const grandchildren = await childrenOf(children);
    expect(children).toHaveLength(3);
    expect(grandchildren).toHaveLength(6);
    const everything = [execution.arn, ...children, ...grandchildren];

    // 89 days on, nothing has expired yet (AWS's 90 days, the default).
    expect((await expire(89 * DAY)).executions).toBe(0);

    // 91 days on, a round of at most 4 executions deletes grandchildren first: no child outlives its parent's history.
    const small = { maxExecutions: 4, batch: 2, lockTimeoutMs: 1000 };
    const first = await expire(91 * DAY, small);
    expect(first).toMatchObject({ executions: 4, exhausted: true });
    await getExecution(t.runtime.db, execution.arn);
    for (const child of children) await getExecution(t.runtime.db, child);
    expect(await childrenOf(children)).toHaveLength(2);

    let rounds = 1;
    while ((await rowsLeft(sql, everything)) > 0 && rounds < 10) {
      await expire(91 * DAY, small);
      rounds++;
    }
    expect(rounds).toBe(3);
    expect(await rowsLeft(sql, everything)).toBe(0);
    await expect(getExecution(t.runtime.db, execution.arn)).rejects.toBeInstanceOf(ExecutionDoesNotExist);

    const samples = parseSamples(await metrics.registry.metrics());
    expect(sampleValue(samples, "stepwise_expired_executions_total")).toBe(10);
    expect(sampleValue(samples, "stepwise_retention_reclaimed_rows_total", { table: "executions" })).toBe(10);
    expect(sampleValue(samples, "stepwise_retention_reclaimed_rows_total", { table: "history_events" })).toBeGreaterThan(10 * 4);
    expect(sampleValue(samples, "stepwise_retention_reclaimed_bytes_total", { table: "history_events" })).toBeGreaterThan(10_000);
  });

  it("a running execution never expires, and a machine's stepwise:retention tag overrides the default", async () => {
    const waiting = await t.createMachine({
      StartAt: "W",
      States: { W: { Type: "Wait", Seconds: 3600, End: true } },
    } as StateMachineDefinition);
    const running = await t.runtime.engine.start({ stateMachineArn: waiting, input: "{}" });
    const hourly = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } } as StateMachineDefinition);
    await tagResource(t.runtime.db, hourly, [{ key: "stepwise:retention", value: "1h" }]);
    const daily = await t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } } as StateMachineDefinition);
    const hourlyRun = (await t.run(hourly)).execution.arn;
    const dailyRun = (await t.run(daily)).execution.arn;

    expect((await expire(2 * 3_600_000)).executions).toBe(1);
    await expect(getExecution(t.runtime.db, hourlyRun)).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    expect((await getExecution(t.runtime.db, dailyRun)).status).toBe("SUCCEEDED");

    expect((await expire(400 * DAY)).executions).toBe(1);
    await expect(getExecution(t.runtime.db, dailyRun)).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    expect((await getExecution(t.runtime.db, running.executionArn)).status).toBe("RUNNING");
  });
});
