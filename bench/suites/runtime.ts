/**
 * The distributed runtime on the real Postgres and Redis: executions through worker processes (one,
 * then two, then three for the chain alone, to show how it scales), against a floor of raw BullMQ jobs
 * doing one queue hop per state and nothing else.
 * Each workload runs once after a warm-up (a round takes tens of seconds), on a fresh schema and key
 * prefix per worker count, with no scheduler (its reconciler would re-enqueue the queued backlog).
 *
 * The chain runs once more on one worker with every task through its queue (STEPWISE_LOCAL_TASKS=false),
 * to show what local tasks save.
 *
 * STEPWISE_BENCH_SCALE=0.1 runs a tenth of every count, to try the suite quickly.
 * STEPWISE_BENCH_CPU_PROFILE=<dir> has every worker process write a V8 CPU profile there when it stops.
 */
import { fileURLToPath } from "node:url";
import { perSecond } from "../measure.ts";
import { type BenchChild, startChild, stopAllChildren } from "../runtime/children.ts";
import { runBatch, runOneByOne } from "../runtime/drive.ts";
import { type BenchEnvironment, createBenchEnvironment } from "../runtime/environment.ts";
import { runFloor } from "../runtime/floor.ts";
import { mapInput, passChoiceChain, taskChain, taskMap } from "../runtime/machines.ts";
import { measureWorkload } from "../runtime/measure-workload.ts";
import { costRows, floorRows, throughputRows } from "../runtime/rows.ts";
import { type Row, ratioRow, type Suite } from "../suite.ts";

const WORKER_SCRIPT = fileURLToPath(new URL("../runtime/worker-process.ts", import.meta.url));
const SCALE = Number(process.env.STEPWISE_BENCH_SCALE ?? 1);
const scaled = (count: number) => Math.max(1, Math.round(count * SCALE));

/** Worker counts that run every workload. */
const WORKER_PROCESSES = [1, 2];
/** Worker counts that run only the chain, to bound the suite's time: scaling needs no more than one workload. */
const CHAIN_ONLY_PROCESSES = [3];
/** The runtime's default STEPWISE_WORKER_CONCURRENCY, for its workers and the floor alike. */
const CONCURRENCY = 64;
const CHAIN_LENGTH = 10;
const PASS_STATES = 20;
const MAP_ITEMS = 1_000;
// The issue's count: 2,000 chain executions (and as many floor chains) per worker count.
const ISSUE_CHAINS = 2_000;
const CHAINS = scaled(ISSUE_CHAINS);
const MAP_EXECUTIONS = scaled(1);
const PASS_EXECUTIONS = scaled(1_000);
const ALONE = scaled(20);
const WARMUP = { chains: scaled(30), mapItems: 50, passes: scaled(30) };
/**
 * StartExecution calls the bench keeps in flight: as many as a worker takes jobs at once. The floor adds
 * all its chains in one call; with 8 in flight, starting cost the bench process twice the CPU per
 * execution (concurrent starts share their statements), CPU the workers on two cores then lacked.
 */
const START_CONCURRENCY = CONCURRENCY;
const FLOOR_TARGET = 0.6;
const TIMEOUT_MS = 300_000;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PROFILE_DIR = process.env.STEPWISE_BENCH_CPU_PROFILE;
const WORKER_NODE_ARGS = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const scaleNote = CHAINS === ISSUE_CHAINS ? "" : ` (scaled from ${ISSUE_CHAINS})`;
const chainBench = `${CHAIN_LENGTH}-Task chain, no-op handler`;
const mapBench = `Map of ${MAP_ITEMS} items, 1 no-op Task each`;
const passBench = `${PASS_STATES} Pass/Choice states`;
const floorBench = `raw BullMQ, chains of ${CHAIN_LENGTH} jobs`;
const batch = { startConcurrency: START_CONCURRENCY, timeoutMs: TIMEOUT_MS };

async function measureFloor(rows: Row[]): Promise<Map<number, number>> {
  const rates = new Map<number, number>();
  for (const processes of [...WORKER_PROCESSES, ...CHAIN_ONLY_PROCESSES]) {
    const floor = await runFloor({
      redisUrl: REDIS_URL,
      processes,
      concurrency: CONCURRENCY,
      chains: CHAINS,
      length: CHAIN_LENGTH,
      timeoutMs: TIMEOUT_MS,
    });
    rates.set(processes, perSecond(floor.jobs, floor.wallMs));
    rows.push(...floorRows(floorBench, `BullMQ, ${plural(processes, "process", "processes")}`, floor, CONCURRENCY, scaleNote));
  }
  return rates;
}

async function warmUpChain(env: BenchEnvironment): Promise<void> {
  await runBatch(env, await env.createMachine(taskChain(CHAIN_LENGTH), "warm-chain"), {
    ...batch,
    count: WARMUP.chains,
    input: (n) => ({ n }),
  });
}

async function warmUp(env: BenchEnvironment): Promise<void> {
  await warmUpChain(env);
  await runBatch(env, await env.createMachine(taskMap, "warm-map"), { ...batch, count: 1, input: (n) => mapInput(WARMUP.mapItems, n) });
  await runBatch(env, await env.createMachine(passChoiceChain(PASS_STATES), "warm-pass"), {
    ...batch,
    count: WARMUP.passes,
    input: (n) => ({ n }),
  });
}

const subjectFor = (processes: number) => `Stepwise, ${plural(processes, "worker")}`;
const QUEUED_SUBJECT = "Stepwise, 1 worker, every task queued";

/** A fresh environment with `processes` workers for `measure`, torn down whatever happens. */
async function withWorkers(
  processes: number,
  measure: (env: BenchEnvironment, workers: BenchChild[]) => Promise<Row[]>,
  extraEnv: Record<string, string> = {},
): Promise<Row[]> {
  const env = await createBenchEnvironment();
  const workers: BenchChild[] = [];
  try {
    const workerEnv = { ...env.workerEnv, STEPWISE_WORKER_CONCURRENCY: String(CONCURRENCY), ...extraEnv };
    for (let i = 0; i < processes; i++) workers.push(await startChild(WORKER_SCRIPT, workerEnv, WORKER_NODE_ARGS));
    return await measure(env, workers);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await env.close();
  }
}

/** `target`: the issue's 0.6x is for the default set-up, not for the every-task-queued variant. */
async function measureChain(
  env: BenchEnvironment,
  workers: BenchChild[],
  floorJobsPerSecond: number,
  subject = subjectFor(workers.length),
  target: number | null = FLOOR_TARGET,
): Promise<Row[]> {
  const chainMachine = await env.createMachine(taskChain(CHAIN_LENGTH), "chain");
  const chain = await measureWorkload(env, workers, () => runBatch(env, chainMachine, { ...batch, count: CHAINS, input: (n) => ({ n }) }));
  const chainStates = perSecond(chain.batch.states, chain.batch.wallMs);
  return [
    ...throughputRows(chainBench, subject, chain, { count: chain.batch.states, unit: "states/s" }, scaleNote),
    ...costRows(chainBench, subject, chain, chain.batch.states),
    ratioRow(chainBench, `${subject}, states/s ÷ BullMQ jobs/s`, chainStates, floorJobsPerSecond, target ?? undefined),
  ];
}

const measureChainOnly = (processes: number, floorJobsPerSecond: number) =>
  withWorkers(processes, async (env, workers) => {
    await warmUpChain(env);
    return measureChain(env, workers, floorJobsPerSecond);
  });

/** The same chain with every task through its queue (STEPWISE_LOCAL_TASKS=false): what local tasks save. */
const measureQueuedChain = (floorJobsPerSecond: number) =>
  withWorkers(
    1,
    async (env, workers) => {
      await warmUpChain(env);
      return measureChain(env, workers, floorJobsPerSecond, QUEUED_SUBJECT, null);
    },
    { STEPWISE_LOCAL_TASKS: "false" },
  );

const measureRuntime = (processes: number, floorJobsPerSecond: number) =>
  withWorkers(processes, async (env, workers) => {
    const subject = subjectFor(processes);
    await warmUp(env);
    const rows = await measureChain(env, workers, floorJobsPerSecond);
    const alone = await runOneByOne(env, await env.createMachine(taskChain(CHAIN_LENGTH), "chain-alone"), ALONE, (n) => ({ n }));
    rows.push({
      benchmark: chainBench,
      subject,
      value: alone.latencyP50Ms,
      unit: "ms latency p50, alone",
      note: `${ALONE} executions one at a time; p99 ${alone.latencyP99Ms.toFixed(0)} ms`,
    });

    const mapMachine = await env.createMachine(taskMap, "map");
    const map = await measureWorkload(env, workers, () =>
      runBatch(env, mapMachine, { ...batch, count: MAP_EXECUTIONS, input: (n) => mapInput(MAP_ITEMS, n) }),
    );
    rows.push(...throughputRows(mapBench, subject, map, { count: MAP_ITEMS * MAP_EXECUTIONS, unit: "items/s" }, ""));
    rows.push(...costRows(mapBench, subject, map, map.batch.states));

    const passMachine = await env.createMachine(passChoiceChain(PASS_STATES), "pass");
    const pass = await measureWorkload(env, workers, () =>
      runBatch(env, passMachine, { ...batch, count: PASS_EXECUTIONS, input: (n) => ({ n }) }),
    );
    rows.push(...throughputRows(passBench, subject, pass, { count: pass.batch.states, unit: "states/s" }, ""));
    rows.push(...costRows(passBench, subject, pass, pass.batch.states));
    rows.push(
      ratioRow(passBench, `${subject}, states/s ÷ BullMQ jobs/s`, perSecond(pass.batch.states, pass.batch.wallMs), floorJobsPerSecond),
    );
    return rows;
  });

export const suite: Suite = {
  name: "runtime",
  async run() {
    const rows: Row[] = [];
    try {
      const floor = await measureFloor(rows);
      for (const processes of WORKER_PROCESSES) rows.push(...(await measureRuntime(processes, floor.get(processes) as number)));
      for (const processes of CHAIN_ONLY_PROCESSES) rows.push(...(await measureChainOnly(processes, floor.get(processes) as number)));
      rows.push(...(await measureQueuedChain(floor.get(1) as number)));
    } finally {
      await stopAllChildren();
    }
    rows.push(...scalingRows(rows));
    return groupByBenchmark(rows);
  },
};

/** The chain's executions/s on n workers over its executions/s on one (every count has measured it by now). */
function scalingRows(rows: readonly Row[]): Row[] {
  const rate = (processes: number) =>
    rows.find((r) => r.benchmark === chainBench && r.subject === subjectFor(processes) && r.unit === "executions/s")?.value as number;
  const queued = rows.find((r) => r.benchmark === chainBench && r.subject === QUEUED_SUBJECT && r.unit === "executions/s")?.value as number;
  return [
    ...[...WORKER_PROCESSES, ...CHAIN_ONLY_PROCESSES]
      .filter((processes) => processes > 1)
      .map((processes) => ratioRow(chainBench, `${subjectFor(processes)} ÷ 1 worker, executions/s`, rate(processes), rate(1))),
    ratioRow(chainBench, "Stepwise, 1 worker, local tasks ÷ every task queued, executions/s", rate(1), queued),
  ];
}

/** Rows of one benchmark together (in the order benchmarks first appear), so worker counts sit side by side. */
function groupByBenchmark(rows: readonly Row[]): Row[] {
  const order = [...new Set(rows.map((r) => r.benchmark))];
  return order.flatMap((benchmark) => rows.filter((r) => r.benchmark === benchmark));
}
