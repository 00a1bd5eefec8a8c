/**
 * Chaos: hundreds of executions run while workers and schedulers are SIGKILLed, Redis is restarted and
 * flushed, and Postgres is restarted. Every execution must still succeed once, with the right output and a
 * well-formed history. Runs only under `npm run test:chaos`, against private services it may kill.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HistoryEvent } from "@stepwise/asl";
import { seededRandom } from "@stepwise/asl";
import { createStateMachine, type ExecutionRecord, getExecution, getHistory, migrate } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateMachineArn } from "../arns.ts";
import { loadRuntimeConfig, type RuntimeConfig } from "../config.ts";
import { type PrivatePostgres, type PrivateRedis, startPrivatePostgres, startPrivateRedis } from "../ops/private-services.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import { assertWellFormedHistory } from "../testing/test-runtime.ts";
import { driveFaults, type FaultKind } from "./fault-driver.ts";
import { freePort } from "./free-port.ts";
import { ProcessPool } from "./process-pool.ts";
import { readRunLog } from "./run-log.ts";
import { workloadKinds } from "./workload.ts";

const EXECUTIONS = Number(process.env.CHAOS_EXECUTIONS ?? 300);
const DURATION_MS = Number(process.env.CHAOS_DURATION_MS ?? 60_000);
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_MS ?? 120_000);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31);
const WORKERS = 3;
const SCHEDULERS = 2;
const TERMINAL = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

const workerScript = fileURLToPath(new URL("./chaos-worker.ts", import.meta.url));
const schedulerScript = fileURLToPath(new URL("../testing/scheduler-process.ts", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Retries `fn` while a service is down, until `deadline`. */
async function persist<T>(fn: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}

describe("chaos: faults in every component, and no execution is lost, doubled or wrong", () => {
  let dir: string;
  let postgres: PrivatePostgres | undefined;
  let redis: PrivateRedis | undefined;
  let config: RuntimeConfig;
  let runtime: Runtime | undefined;
  let workers: ProcessPool | undefined;
  let schedulers: ProcessPool | undefined;
  const runsFile = () => join(dir, "runs.log");

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "stepwise-chaos-"));
    chmodSync(dir, 0o755);
    postgres = await startPrivatePostgres(join(dir, "pg"), await freePort());
    redis = await startPrivateRedis(dir, await freePort());
    await migrate(postgres.url);
    const env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      STEPWISE_QUEUE_PREFIX: "chaos",
      STEPWISE_JOB_LOCK_MS: "1500",
      STEPWISE_DB_POOL_SIZE: "5",
      STEPWISE_RECONCILE_AFTER_MS: "2000",
      STEPWISE_SCHEDULER_POLL_MS: "200",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
      CHAOS_RUNS_FILE: runsFile(),
    };
    config = loadRuntimeConfig({ ...process.env, ...env, STEPWISE_DB_POOL_SIZE: "10" });
    runtime = await createRuntime(config, { name: "chaos-test" });
    workers = new ProcessPool(workerScript, () => env);
    schedulers = new ProcessPool(schedulerScript, () => env);
    await Promise.all([
      ...Array.from({ length: WORKERS }, () => workers?.spawn()),
      ...Array.from({ length: SCHEDULERS }, () => schedulers?.spawn()),
    ]);
  }, 120_000);

  afterAll(async () => {
    await workers?.close();
    await schedulers?.close();
    await runtime?.close().catch(() => undefined);
    await redis?.kill();
    await postgres?.stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it(
    `${EXECUTIONS} executions under ${DURATION_MS / 1000} s of faults`,
    async () => {
      const rt = runtime as Runtime;
      const random = seededRandom(SEED);
      say(`\n[chaos] seed ${SEED} (CHAOS_SEED replays the fault schedule), ${EXECUTIONS} executions, ${DURATION_MS} ms of faults`);
      const machines = await Promise.all(
        workloadKinds.map(async (kind) => {
          const arn = stateMachineArn({ region: config.STEPWISE_REGION, accountId: config.STEPWISE_ACCOUNT_ID }, `chaos-${kind.name}`);
          await createStateMachine(rt.db, {
            arn,
            name: `chaos-${kind.name}`,
            definition: JSON.stringify(kind.definition),
            roleArn: "arn:aws:iam::123456789012:role/chaos",
            type: "STANDARD",
          });
          return arn;
        }),
      );

      // Starts spread over the first half of the fault window, so faults land on executions in every phase.
      const startWindow = DURATION_MS / 2;
      const t0 = Date.now();
      const startDeadline = t0 + DURATION_MS + SETTLE_MS;
      const started = Promise.all(
        Array.from({ length: EXECUTIONS }, async (_, i) => {
          const kind = i % workloadKinds.length;
          await sleep((i / EXECUTIONS) * startWindow);
          // A start retried after a fault is idempotent: same name, same input.
          const { executionArn } = await persist(
            () =>
              rt.engine.start({
                stateMachineArn: machines[kind] as string,
                name: `chaos-${i}`,
                input: JSON.stringify(workloadKinds[kind]?.input),
              }),
            startDeadline,
          );
          return { executionArn, kind };
        }),
      );
      const faults = await driveFaults(
        {
          workers: workers as ProcessPool,
          schedulers: schedulers as ProcessPool,
          redis: redis as PrivateRedis,
          postgres: postgres as PrivatePostgres,
        },
        random,
        DURATION_MS,
        say,
      );
      const executions = await started;

      const settleDeadline = Date.now() + SETTLE_MS;
      const results: Array<{ executionArn: string; kind: number; execution?: ExecutionRecord; history?: HistoryEvent[] }> = [];
      for (const { executionArn, kind } of executions) {
        let execution = await persist(() => getExecution(rt.db, executionArn), settleDeadline);
        while (execution.status === "RUNNING" && Date.now() < settleDeadline) {
          await sleep(100);
          execution = await persist(() => getExecution(rt.db, executionArn), settleDeadline);
        }
        const history = await persist(() => getHistory(rt.db, executionArn), settleDeadline);
        results.push({ executionArn, kind, execution, history });
      }

      const lost: string[] = [];
      const duplicated: string[] = [];
      const wrong: string[] = [];
      const expectedRuns: Record<string, number> = {};
      for (const { executionArn, kind, execution, history = [] } of results) {
        const workload = workloadKinds[kind];
        if (!workload || !execution) continue;
        const terminal = history.filter((e) => TERMINAL.has(e.type));
        let malformed: string | undefined;
        try {
          assertWellFormedHistory(history);
        } catch (err) {
          malformed = (err as Error).message;
        }
        if (execution.status === "RUNNING") {
          lost.push(
            `${executionArn}: still RUNNING, last events ${history
              .slice(-5)
              .map((e) => `${e.id}:${e.type}`)
              .join(", ")}`,
          );
          continue;
        }
        if (terminal.length !== 1 || malformed)
          duplicated.push(`${executionArn}: ${terminal.length} terminal events${malformed ? `, ${malformed}` : ""}`);
        const outputProblem = execution.status === "SUCCEEDED" ? workload.checkOutput(JSON.parse(execution.output ?? "null")) : undefined;
        if (execution.status !== "SUCCEEDED" || outputProblem)
          wrong.push(`${executionArn}: ${execution.status} ${outputProblem ?? `${execution.error ?? ""} ${execution.cause ?? ""}`}`);
        for (const [handler, n] of Object.entries(workload.handlerRuns)) expectedRuns[handler] = (expectedRuns[handler] ?? 0) + n;
      }

      const runs = readRunLog(runsFile());
      const extraOk = (handler: string, outcome: string) => (runs.byHandler[`${handler} ${outcome}`] ?? 0) - (expectedRuns[handler] ?? 0);
      const table: Array<[string, string | number]> = [
        ...Object.entries(faults).map(([kind, n]) => [`faults: ${kind as FaultKind}`, n] as [string, number]),
        ["worker crashes (not injected)", (workers as ProcessPool).unexpectedExits],
        ["scheduler crashes (not injected)", (schedulers as ProcessPool).unexpectedExits],
        ["executions", executions.length],
        ["lost (still RUNNING)", lost.length],
        ["duplicated (terminal events != 1 or bad ids)", duplicated.length],
        ["wrong (not SUCCEEDED or bad output)", wrong.length],
        ["handler re-runs (same task id run again)", runs.reruns],
        ["extra successful step runs", extraOk("step", "ok")],
        ["extra successful flaky runs", extraOk("flaky", "ok")],
        ["extra boom runs", extraOk("boom", "fail")],
        ["flaky failures absorbed by Retry", runs.byHandler["flaky fail"] ?? 0],
      ];
      say(`\n[chaos] results (seed ${SEED})`);
      for (const [label, value] of table) say(`  ${label.padEnd(48)} ${value}`);
      for (const line of [...lost, ...duplicated, ...wrong].slice(0, 20)) say(`  ! ${line}`);

      expect(lost).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(wrong).toEqual([]);
    },
    DURATION_MS + 2 * SETTLE_MS + 60_000,
  );
});
