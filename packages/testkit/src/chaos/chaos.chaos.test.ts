/**
 * Chaos: a thousand executions of every kind of machine run across several worker processes and two
 * schedulers while workers and schedulers are SIGKILLed, Redis is restarted and flushed, and Postgres is
 * restarted, at seeded random moments. Every execution must still end as its input dictates, once, with a
 * well-formed history, and no handler may have run again unless a fault explains it. Runs only under
 * `npm run test:chaos`, against a private Postgres and Redis it may kill; several runs, one per seed
 * (chaos-config.ts), each with services and processes of its own.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HistoryEvent } from "@stepwise/asl";
import { seededRandom } from "@stepwise/asl";
import { type PrivatePostgres, type PrivateRedis, startPrivatePostgres, startPrivateRedis, stateMachineArn } from "@stepwise/runtime";
import { createDatabase, createStateMachine, type ExecutionRecord, getExecution, getHistory, migrate } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChaosConfig } from "./chaos-config.ts";
import { type ChaosFiles, chaosFiles } from "./chaos-files.ts";
import { planExecutions, plannedArn } from "./execution-plan.ts";
import { driveFaults, type FaultKind, faultKinds, planFaults } from "./fault-driver.ts";
import { freePort } from "./free-port.ts";
import { type Judgement, judge } from "./outcome-check.ts";
import { ProcessPool } from "./process-pool.ts";
import { auditReruns } from "./rerun-audit.ts";
import { readRunLog, runsByTask } from "./run-log.ts";
import { workloadKinds } from "./workload.ts";

const config = loadChaosConfig();
const SCHEDULERS = 2;
const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Retries `fn` while Postgres is still coming back, until `deadline`. */
async function persist<T>(fn: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline || (err as Error).name === "ExecutionDoesNotExist") throw err;
      await sleep(250);
    }
  }
}

/** One line of the summary printed after all runs. */
interface RunSummary {
  seed: number;
  passed: boolean;
  row: string;
}
const summaries: RunSummary[] = [];

afterAll(() => {
  say(
    `\n[chaos] ${summaries.length} runs (seed: faults ${faultKinds.join("/")} | crashes not injected | lost | duplicated | wrong | handler re-runs | unexplained | s)`,
  );
  for (const { seed, passed, row } of summaries) say(`  ${passed ? "ok  " : "FAIL"} ${seed}: ${row}`);
});

for (const seed of config.seeds) chaosRun(seed);

function chaosRun(seed: number): void {
  describe(`chaos, seed ${seed}: faults in every component, and no execution is lost, doubled or wrong`, () => {
    // Set when the run's services start: describe blocks are all collected before the first run.
    let began = 0;
    let files: ChaosFiles;
    let postgres: PrivatePostgres | undefined;
    let redis: PrivateRedis | undefined;
    let pools: { workers: ProcessPool; schedulers: ProcessPool; client: ProcessPool } | undefined;
    let passed = false;

    beforeAll(async () => {
      began = Date.now();
      const dir = mkdtempSync(join(tmpdir(), "stepwise-chaos-"));
      chmodSync(dir, 0o755);
      files = chaosFiles(dir);
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
        // The processes write to a file (files.processes), kept when the run fails: warnings say why a job failed.
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        CHAOS_DIR: dir,
      };
      pools = {
        workers: new ProcessPool("worker", script("./chaos-worker.ts"), () => env, files.processes),
        schedulers: new ProcessPool("scheduler", script("../scheduler-process.ts"), () => env, files.processes),
        client: new ProcessPool("client", script("./chaos-client.ts"), () => env, files.processes),
      };
      await Promise.all([
        ...Array.from({ length: config.CHAOS_WORKERS }, () => pools?.workers.spawn()),
        ...Array.from({ length: SCHEDULERS }, () => pools?.schedulers.spawn()),
      ]);
    }, 120_000);

    afterAll(async () => {
      await pools?.client.close();
      await pools?.workers.close();
      await pools?.schedulers.close();
      await redis?.kill();
      await postgres?.stop().catch(() => undefined);
      // A failed run keeps its logs (runs, callbacks, the processes' output) for a look.
      if (files && passed) rmSync(files.dir, { recursive: true, force: true });
      else if (files) say(`[chaos] logs kept in ${files.dir}`);
    }, 60_000);

    it(
      `${config.CHAOS_EXECUTIONS} executions through ${config.CHAOS_FAULTS} faults in ${config.CHAOS_DURATION_MS / 1000} s`,
      async () => {
        const { workers, schedulers, client } = pools as NonNullable<typeof pools>;
        const random = seededRandom(seed);
        const url = (postgres as PrivatePostgres).url;

        // The test holds no connection while faults happen: only the processes under test live through them.
        const setup = createDatabase(url, { max: 2 });
        const machines = await Promise.all(
          workloadKinds.map(async (kind) => {
            const arn = stateMachineArn({ region: "us-east-1", accountId: "123456789012" }, `chaos-${kind.name}`);
            const definition = JSON.stringify(kind.definition);
            await createStateMachine(setup.db, {
              arn,
              name: `chaos-${kind.name}`,
              definition,
              roleArn: "arn:aws:iam::123456789012:role/chaos",
              type: "STANDARD",
            });
            return arn;
          }),
        );
        await setup.close();

        const plan = planExecutions(random, machines, config.CHAOS_EXECUTIONS, Date.now() + 1000, config.CHAOS_DURATION_MS / 2);
        const faultPlan = planFaults(random, config.CHAOS_DURATION_MS, config.CHAOS_FAULTS);
        writeFileSync(files.plan, JSON.stringify(plan));
        say(
          `\n[chaos] seed ${seed} (CHAOS_SEED=${seed} replays this workload and fault schedule): ${config.CHAOS_EXECUTIONS} executions, ` +
            `${config.CHAOS_WORKERS} workers, ${SCHEDULERS} schedulers, ${faultPlan.length} faults in ${config.CHAOS_DURATION_MS / 1000} s`,
        );
        await client.spawn();
        await sleep(plan.opened - Date.now());
        const faultsBegan = Date.now();
        const faults = await driveFaults(
          { workers, schedulers, redis: redis as PrivateRedis, postgres: postgres as PrivatePostgres },
          faultPlan,
          random,
          say,
        );
        const faultsEnded = Date.now();

        const check = createDatabase(url, { max: 5 });
        const deadline = faultsEnded + config.CHAOS_SETTLE_MS;
        const records = new Map<string, ExecutionRecord | undefined>();
        for (const planned of plan.executions) {
          const arn = plannedArn(planned);
          const read = () => persist(() => getExecution(check.db, arn), deadline).catch(() => undefined);
          let execution = await read();
          while ((!execution || execution.status === "RUNNING") && Date.now() < deadline) {
            await sleep(200);
            execution = await read();
          }
          records.set(arn, execution);
        }
        const settled = Date.now();

        const runs = readRunLog(files.runs);
        const runsOf = new Map<string, typeof runs>();
        for (const run of runs) runsOf.set(run.executionArn, [...(runsOf.get(run.executionArn) ?? []), run]);
        const judgements: Array<{ name: string; judgement: Judgement }> = [];
        const statuses: Record<string, number> = {};
        for (const planned of plan.executions) {
          const arn = plannedArn(planned);
          const execution = records.get(arn);
          const history: HistoryEvent[] = execution ? await persist(() => getHistory(check.db, arn), Date.now() + 30_000) : [];
          judgements.push({ name: planned.name, judgement: judge(planned, execution, history, runsOf.get(arn) ?? []) });
          const status = execution?.status ?? "NOT STARTED";
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
        await check.close();

        const crashes = [...workers.crashes, ...schedulers.crashes, ...client.crashes];
        const audit = auditReruns(runsByTask(runs), faults, crashes);
        const bad = (verdict: string) => judgements.filter((j) => j.judgement.verdict === verdict);
        const faultsOf = (kind: FaultKind) => faults.filter((f) => f.kind === kind).length;
        const table: Array<[string, string | number]> = [
          ["faults injected", faults.length],
          ...faultKinds.map((kind) => [`  ${kind}`, faultsOf(kind)] as [string, number]),
          [
            "crashes not injected (worker/scheduler/client)",
            `${workers.crashes.length}/${schedulers.crashes.length}/${client.crashes.length}`,
          ],
          ["executions", plan.executions.length],
          ...workloadKinds.map((k, i) => [`  ${k.name}`, plan.executions.filter((e) => e.kind === i).length] as [string, number]),
          [
            "ended as",
            Object.entries(statuses)
              .map(([s, n]) => `${n} ${s}`)
              .join(", "),
          ],
          ["lost", bad("lost").length],
          ["duplicated (or malformed history)", bad("duplicated").length],
          ["wrong (status, output, error or task runs)", bad("wrong").length],
          ["handler runs", runs.length],
          ["handler re-runs (at-least-once)", audit.reruns],
          ...Object.entries(audit.byCause).map(([cause, n]) => [`  after ${cause}`, n] as [string, number]),
          ["re-runs no fault explains", audit.unexplained.length],
          [
            "faults / settle / total (s)",
            [faultsEnded - faultsBegan, settled - faultsEnded, Date.now() - began].map((ms) => (ms / 1000).toFixed(0)).join(" / "),
          ],
        ];
        say(`\n[chaos] results (seed ${seed})`);
        for (const [label, value] of table) say(`  ${label.padEnd(48)} ${value}`);
        const problems = judgements.filter((j) => j.judgement.verdict !== "ok");
        for (const { name, judgement } of problems.slice(0, 20))
          say(`  ! ${name} ${judgement.verdict}: ${"reason" in judgement ? judgement.reason : ""}`);
        for (const line of audit.unexplained.slice(0, 10)) say(`  ! re-run: ${line}`);
        for (const c of crashes) say(`  crash: pid ${c.pid} exit ${c.exit} at ${new Date(c.at).toISOString().slice(11, 23)}`);
        if (crashes.length > 0 && existsSync(files.processes)) {
          const fatal = readFileSync(files.processes, "utf8")
            .split("\n")
            .filter((l) => /^\w*Error: /.test(l) && !l.startsWith("Error: "));
          for (const line of [...new Set(fatal)].slice(0, 5)) say(`  crash cause seen: ${line}`);
        }

        const causes = Object.entries(audit.byCause).map(([cause, n]) => `${n} after ${cause}`);
        summaries.push({
          seed,
          passed: faultKinds.every((kind) => faultsOf(kind) > 0) && problems.length === 0 && audit.unexplained.length === 0,
          row: [
            faultKinds.map(faultsOf).join("/"),
            crashes.length,
            bad("lost").length,
            bad("duplicated").length,
            bad("wrong").length,
            `${audit.reruns}${causes.length > 0 ? ` (${causes.join(", ")})` : ""}`,
            audit.unexplained.length,
            ((Date.now() - began) / 1000).toFixed(0),
          ].join(" | "),
        });
        for (const kind of faultKinds) expect(faultsOf(kind), kind).toBeGreaterThan(0);
        expect(problems).toEqual([]);
        expect(audit.unexplained).toEqual([]);
        passed = true;
      },
      config.CHAOS_DURATION_MS + 2 * config.CHAOS_SETTLE_MS + 120_000,
    );
  });
}
