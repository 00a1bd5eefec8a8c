/**
 * Batch processing (issue 16): a CSV in an S3-compatible store (s3rver, started here on a loopback
 * port) read by a distributed Map's ItemReader, one no-op Task per item, MaxConcurrency 1,000, on 1 and
 * 2 worker processes; then the same with ItemBatcher at 100 items per batch. In the same run as the raw
 * BullMQ floor, as the runtime suite measures it.
 *
 * Targets, printed, never asserted: items/s at least 0.6x the floor's jobs/s; at most 200 CPU µs per
 * item (workers + their Postgres backends); peak RSS with the full dataset within 1.5x of the figure
 * with 1,000 rows.
 *
 * `npm run bench -- batch`. STEPWISE_BENCH_BATCH_ROWS sets the row count (default 100,000), to try
 * the suite quickly; STEPWISE_BENCH_SCALE scales the floor and STEPWISE_BENCH_CPU_PROFILE profiles the
 * workers, as in the runtime suite.
 */
import { fileURLToPath } from "node:url";
import { type S3TestServer, startS3TestServer } from "@stepwise/testkit/s3";
import { perSecond } from "../measure.ts";
import { type BenchChild, startChild, stopAllChildren } from "../runtime/children.ts";
import { runBatch } from "../runtime/drive.ts";
import { type BenchEnvironment, createBenchEnvironment } from "../runtime/environment.ts";
import { runFloor } from "../runtime/floor.ts";
import { csvMap } from "../runtime/machines.ts";
import { measureWorkload, type WorkloadMeasurement } from "../runtime/measure-workload.ts";
import { peakRssBytes } from "../runtime/proc-stats.ts";
import { type Row, ratioRow, type Suite } from "../suite.ts";

const WORKER_SCRIPT = fileURLToPath(new URL("../runtime/worker-process.ts", import.meta.url));
const ROWS = Number(process.env.STEPWISE_BENCH_BATCH_ROWS ?? 100_000);
const SMALL_ROWS = 1_000;
const SCALE = Number(process.env.STEPWISE_BENCH_SCALE ?? 1);
const FLOOR_CHAINS = Math.max(1, Math.round(2_000 * SCALE));
const FLOOR_LENGTH = 10;
const WORKER_PROCESSES = [1, 2];
const CONCURRENCY = 64;
const MAX_CONCURRENCY = 1_000;
const PER_BATCH = 100;
const FLOOR_TARGET = 0.6;
const CPU_TARGET_MICROS = 200;
const RSS_TARGET = 1.5;
const TIMEOUT_MS = 900_000;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** As in the runtime suite: a directory for each worker's CPU profile. */
const PROFILE_DIR = process.env.STEPWISE_BENCH_CPU_PROFILE;
const WORKER_NODE_ARGS = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];

const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(0);
const csv = (rows: number) => ["id,v", ...Array.from({ length: rows }, (_, i) => `${i},${i % 1000}`)].join("\n");

interface Variant {
  label: string;
  perBatch?: number;
}
const VARIANTS: Variant[] = [
  { label: "one no-op Task per item" },
  { label: `ItemBatcher ${PER_BATCH} per batch, one no-op Task per batch`, perBatch: PER_BATCH },
];

/** Bytes of the schema's tables and indexes (the bench schema is the connection's search path). */
async function schemaBytes(env: BenchEnvironment): Promise<number> {
  const [row] = await env.sql<{ bytes: string | null }[]>`
    select sum(pg_total_relation_size(c.oid))::bigint as bytes from pg_class c
    join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind = 'r'`;
  return Number(row?.bytes ?? 0);
}

/** One distributed Map over `rows` rows on running workers: what it cost, and the Postgres bytes it left. */
async function measureMap(
  env: BenchEnvironment,
  workers: BenchChild[],
  s3: S3TestServer,
  rows: number,
  variant: Variant,
): Promise<{ m: WorkloadMeasurement; bytes: number }> {
  const bucket = await s3.bucket();
  await s3.put(bucket, "rows.csv", csv(rows));
  // ResultPath null: the children's results are not the execution's output (100,000 of them pass 256 KiB).
  const definition = csvMap(bucket, "rows.csv", MAX_CONCURRENCY, variant.perBatch);
  (definition.States.Rows as { ResultPath?: null }).ResultPath = null;
  const machine = await env.createMachine(definition, `csv-${rows}`);
  const before = await schemaBytes(env);
  const m = await measureWorkload(env, workers, () =>
    runBatch(env, machine, { count: 1, input: () => ({}), startConcurrency: 1, timeoutMs: TIMEOUT_MS }),
  );
  return { m, bytes: (await schemaBytes(env)) - before };
}

async function measureWorkers(processes: number, s3: S3TestServer, floorJobsPerSecond: number): Promise<Row[]> {
  const env = await createBenchEnvironment();
  const workers: BenchChild[] = [];
  const rows: Row[] = [];
  try {
    const workerEnv = { ...env.workerEnv, STEPWISE_WORKER_CONCURRENCY: String(CONCURRENCY), ...s3.env };
    for (let i = 0; i < processes; i++) workers.push(await startChild(WORKER_SCRIPT, workerEnv, WORKER_NODE_ARGS));
    const subject = `Stepwise, ${processes} worker${processes === 1 ? "" : "s"}`;
    for (const variant of VARIANTS) {
      const benchmark = `distributed Map over ${ROWS} CSV rows in s3rver, ${variant.label}`;
      const small = await measureMap(env, workers, s3, SMALL_ROWS, variant);
      const { m, bytes } = await measureMap(env, workers, s3, ROWS, variant);
      const itemsPerSecond = perSecond(ROWS, m.batch.wallMs);
      const cpu = ((m.workerCpuMs + m.postgresCpuMs) * 1000) / ROWS;
      const peak = Math.max(...m.peakRssBytes);
      const smallPeak = Math.max(...small.m.peakRssBytes);
      rows.push(
        {
          benchmark,
          subject,
          value: itemsPerSecond,
          unit: "items/s",
          note: `the execution's start to its stop: ${m.batch.wallMs.toFixed(0)} ms`,
        },
        ratioRow(benchmark, `${subject}, items/s ÷ BullMQ jobs/s`, itemsPerSecond, floorJobsPerSecond, FLOOR_TARGET),
        {
          benchmark,
          subject,
          value: cpu,
          unit: "CPU µs/item",
          note:
            `workers ${((m.workerCpuMs * 1000) / ROWS).toFixed(0)} + their Postgres backends ${((m.postgresCpuMs * 1000) / ROWS).toFixed(0)} µs; ` +
            `target <= ${CPU_TARGET_MICROS}${cpu <= CPU_TARGET_MICROS ? "" : " — MISSED"}`,
        },
        {
          benchmark,
          subject,
          value: peak / (1024 * 1024),
          unit: "MB peak RSS",
          note: `VmHWM of each worker: ${m.peakRssBytes.map(mb).join(", ")} MB; the bench process (starter, s3 client; whole run): ${mb(peakRssBytes(process.pid))} MB`,
        },
        ratioRow(benchmark, `${subject}, peak RSS ${ROWS} rows ÷ ${SMALL_ROWS} rows`, peak, smallPeak, undefined),
        { benchmark, subject, value: bytes / ROWS, unit: "Postgres bytes/item", note: `tables and indexes grew ${mb(bytes)} MB` },
      );
      const rss = rows[rows.length - 2] as Row;
      rss.note = `target <= ${RSS_TARGET}x${rss.value <= RSS_TARGET ? "" : " — MISSED"}; ${mb(smallPeak)} MB with ${SMALL_ROWS} rows`;
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await env.close();
  }
  return rows;
}

export const suite: Suite = {
  name: "batch",
  async run() {
    const rows: Row[] = [];
    const s3 = await startS3TestServer();
    try {
      for (const processes of WORKER_PROCESSES) {
        const floor = await runFloor({
          redisUrl: REDIS_URL,
          processes,
          concurrency: CONCURRENCY,
          chains: FLOOR_CHAINS,
          length: FLOOR_LENGTH,
          timeoutMs: TIMEOUT_MS,
        });
        const jobsPerSecond = perSecond(floor.jobs, floor.wallMs);
        rows.push({
          benchmark: `raw BullMQ, chains of ${FLOOR_LENGTH} jobs`,
          subject: `BullMQ, ${processes} process${processes === 1 ? "" : "es"}`,
          value: jobsPerSecond,
          unit: "jobs/s",
          note: `${floor.jobs} jobs in ${floor.wallMs.toFixed(0)} ms`,
        });
        rows.push(...(await measureWorkers(processes, s3, jobsPerSecond)));
      }
    } finally {
      await stopAllChildren();
      await s3.close();
    }
    return rows;
  },
};
