/**
 * The pieces every Stepwise process shares: configuration, Postgres, the queues, stop signals and the
 * execution engine. Workers, schedulers and the API are built on one of these.
 */
import { getRandomValues } from "node:crypto";
import type { DatasetStore } from "@stepwise/asl";
import { createDatabase, type Database, migrate } from "@stepwise/storage";
import { createTracing, type Tracing } from "@stepwise/tracing";
import type { ConnectionOptions } from "bullmq";
import type { RuntimeConfig } from "./config.ts";
import { ExecutionEngine } from "./engine/execution-engine.ts";
import type { TransitionResult } from "./engine/transition.ts";
import { ExecutionLog } from "./execution-logs/execution-log.ts";
import { createLogger, type Logger } from "./logger.ts";
import { RuntimeObservers } from "./observers.ts";
import { Queues } from "./queues.ts";
import { RemoteTasks } from "./remote-tasks/remote-tasks.ts";
import { parseResourceMap } from "./resource-map.ts";
import { TaskSignals } from "./signals.ts";
import { TaskLeases } from "./task-leases.ts";

export interface Runtime {
  config: RuntimeConfig;
  db: Database;
  connection: ConnectionOptions;
  queues: Queues;
  signals: TaskSignals;
  /** Task attempts that workers run without a job (see task-leases.ts). */
  leases: TaskLeases;
  engine: ExecutionEngine;
  logger: Logger;
  /** Where the engine and workers report what they do (metrics subscribe here). */
  observers: RuntimeObservers;
  /** Where distributed Maps read (ItemReader) and write (ResultWriter) datasets; absent, they fail saying what to configure. */
  datasets?: DatasetStore;
  /** Execution log records of state machines that log (LoggingConfiguration); see execution-logs/. */
  executionLog: ExecutionLog;
  /** OpenTelemetry traces (OTEL_* variables); absent when tracing is off, and then nothing is traced. */
  tracing?: Tracing;
  /** Spans this process could not export (an unreachable endpoint) and dropped, for the metric. */
  droppedSpans(): number;
  /** Task workers in other languages, polling over HTTP (see remote-tasks/); connects to Redis when first polled. */
  readonly remoteTasks: RemoteTasks;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Apply database migrations first (the all-in-one process and tests do; scaled services use `db:migrate`). */
  migrate?: boolean;
  name?: string;
  /** Told about every committed transition (metrics). */
  observe?: (event: { executionArn: string; result: TransitionResult; durationMs: number }) => void;
  /** Randomness for ids and jitter; tests may fix it. */
  random?: () => number;
  /** The object store of distributed Maps' ItemReader and ResultWriter (the process builds it from its configuration). */
  datasets?: DatasetStore;
}

export async function createRuntime(config: RuntimeConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = createLogger(config.LOG_LEVEL, options.name ?? "stepwise");
  if (options.migrate) await migrate(config.DATABASE_URL);
  const database = createDatabase(config.DATABASE_URL, { max: config.STEPWISE_DB_POOL_SIZE });
  const connection = redisConnection(config.REDIS_URL);
  const queues = new Queues({ connection, prefix: config.STEPWISE_QUEUE_PREFIX });
  const signals = new TaskSignals(config.REDIS_URL, config.STEPWISE_QUEUE_PREFIX);
  const observers = new RuntimeObservers();
  const executionLog = new ExecutionLog(logger, { file: config.STEPWISE_EXECUTION_LOG_FILE });
  let droppedSpans = 0;
  const tracing = createTracing(config.tracing, {
    onDropped: (count) => {
      droppedSpans += count;
    },
  });
  observers.add(executionLog);
  const leases = new TaskLeases(config.REDIS_URL, config.STEPWISE_QUEUE_PREFIX, config.STEPWISE_JOB_LOCK_MS, (err) =>
    logger.warn({ err }, "could not write task leases"),
  );
  const engine = new ExecutionEngine({
    db: database.db,
    queues,
    signals,
    resourceMap: parseResourceMap(config.STEPWISE_RESOURCE_MAP),
    lambdaService: config.AWS_ENDPOINT_URL_LAMBDA !== undefined,
    groupCommit: {
      maxBatch: config.STEPWISE_GROUP_COMMIT_MAX,
      maxInFlight: config.STEPWISE_GROUP_COMMIT_IN_FLIGHT,
      onRollback: (error) => logger.warn({ err: error }, "a shared transaction rolled back; its transitions run again one by one"),
    },
    settings: {
      maxPayloadBytes: config.STEPWISE_MAX_PAYLOAD_BYTES,
      expressionTimeoutMs: config.STEPWISE_EXPRESSION_TIMEOUT_MS,
      maxHistoryEvents: config.STEPWISE_MAX_HISTORY_EVENTS,
      random: options.random ?? secureRandom,
      now: () => new Date(),
    },
    observe: (event) => {
      options.observe?.(event);
      observers.transition(event);
    },
    observeStart: (event) => observers.executionStarted(event),
    logEvents: (logged) => executionLog.write(logged),
    ...(tracing ? { tracing } : {}),
  });
  let remoteTasks: RemoteTasks | undefined;
  const runtime: Runtime = {
    config,
    db: database.db,
    connection,
    queues,
    signals,
    leases,
    engine,
    logger,
    observers,
    ...(options.datasets ? { datasets: options.datasets } : {}),
    executionLog,
    ...(tracing ? { tracing } : {}),
    droppedSpans: () => droppedSpans,
    get remoteTasks() {
      remoteTasks ??= new RemoteTasks(runtime);
      return remoteTasks;
    },
    close: async () => {
      // Polls waiting for tasks end first: they hold jobs of the queues closed below.
      await remoteTasks?.close();
      await executionLog.close();
      // Spans still queued go out now (an unreachable endpoint gives up after its export timeout).
      await tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, "could not export the last spans"));
      await queues.close();
      await signals.close();
      await leases.close();
      await database.close();
    },
  };
  return runtime;
}

/**
 * Task tokens and ids are drawn from this randomness, so a token cannot be guessed from others; it
 * comes from the operating system's generator rather than Math.random. Drawn a few kilobytes at a
 * time: an id takes 32 draws, and a system call for each was a measurable part of every transition.
 */
const randomPool = new Uint32Array(1024);
let randomPoolNext = randomPool.length;

function secureRandom(): number {
  if (randomPoolNext === randomPool.length) {
    getRandomValues(randomPool);
    randomPoolNext = 0;
  }
  return (randomPool[randomPoolNext++] as number) / 2 ** 32;
}

/** BullMQ wants ioredis options; `maxRetriesPerRequest: null` is required for its blocking workers. */
export function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    maxRetriesPerRequest: null,
  };
}
