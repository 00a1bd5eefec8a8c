/**
 * Runtime configuration, from environment variables, parsed and validated once at start-up. Every
 * default runs against the local services.
 */
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

export const runtimeConfigSchema = z.object({
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  DATABASE_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/postgres"),
  /** BullMQ key prefix; separate prefixes keep deployments (and tests) apart on one Redis. */
  STEPWISE_QUEUE_PREFIX: z.string().min(1).default("stepwise"),
  STEPWISE_REGION: z.string().min(1).default("us-east-1"),
  STEPWISE_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/)
    .default("123456789012"),
  /** AWS's payload quota for state input/output. */
  STEPWISE_MAX_PAYLOAD_BYTES: positiveInt.default(262_144),
  /**
   * How long one expression evaluation (a JSONata expression; the JSONPath paths of one field set) may run.
   * Evaluation never yields, so this is how long one hostile expression can hold a process: health
   * checks, other executions and BullMQ lock renewals wait meanwhile. See docs/security.md.
   */
  STEPWISE_EXPRESSION_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** AWS fails an execution whose history reaches 25,000 events. */
  STEPWISE_MAX_HISTORY_EVENTS: positiveInt.default(25_000),
  /** Postgres connections per process. Jobs share them: group commit and the task checks batch what jobs ask for. */
  STEPWISE_DB_POOL_SIZE: positiveInt.default(20),
  /**
   * Most executions one Postgres transaction commits together, most requests of one execution (a Map's
   * items finishing) it applies at once, and most StartExecution calls written together; 1 turns
   * batching off. In the runtime bench 64 did a
   * third more Map items/s than 16 (one execution's items serialise on its lock), and more did no better.
   */
  STEPWISE_GROUP_COMMIT_MAX: positiveInt.default(64),
  /** Group-commit transactions (and start batches) one process keeps open at once. */
  STEPWISE_GROUP_COMMIT_IN_FLIGHT: positiveInt.default(2),
  /**
   * Jobs one worker process runs at once, per queue. More jobs at once make bigger group commits: in the
   * runtime bench 64 did about 35% more states/s than 16, and more than 64 did no better.
   */
  STEPWISE_WORKER_CONCURRENCY: positiveInt.default(64),
  /** How soon a job of a dead worker is handed to another (BullMQ lock duration and stalled check). */
  STEPWISE_JOB_LOCK_MS: positiveInt.default(30_000),
  /**
   * A worker runs a task attempt that its own transition scheduled straight away, when it has the handler
   * and a free slot, instead of sending it through the handler's queue (see worker/local-tasks.ts).
   * `false`: every attempt goes through its queue.
   */
  STEPWISE_LOCAL_TASKS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /**
   * With local tasks, a worker starts a task's handler inside the transition that scheduled it and, if it
   * answers within this many milliseconds (in total per transition: the execution's lock is held
   * meanwhile), applies the outcome in the same transaction (see engine/inline-tasks.ts). 0: never.
   */
  STEPWISE_INLINE_TASK_MS: z.coerce.number().int().min(0).max(1000).default(5),
  STEPWISE_SCHEDULER_POLL_MS: positiveInt.default(500),
  /** How long a thread may sit without progress before the reconciler re-enqueues its next step. */
  STEPWISE_RECONCILE_AFTER_MS: positiveInt.default(10_000),
  /** Comma-separated host names (or `*.example.com`) the HTTP Task may call. Empty: none. */
  STEPWISE_HTTP_ALLOWED_HOSTS: z.string().default(""),
  /**
   * Cluster-wide limits per task handler, as JSON: `{"charge": {"concurrency": 5, "perSecond": 20}}`.
   * They hold across every worker process (BullMQ global concurrency and rate limit on the handler's queue).
   */
  STEPWISE_TASK_LIMITS: z.string().default("{}"),
  /** JSON object mapping Task resource ARNs (or Lambda function names) to handler names. */
  STEPWISE_RESOURCE_MAP: z.string().default("{}"),
  /**
   * A Lambda-compatible endpoint: set, Lambda resources that STEPWISE_RESOURCE_MAP does not map are invoked
   * there (through @stepwise/integrations, with the other AWS variables) instead of running the handler
   * named after the function. Only whether it is set matters here; the integrations read the URL.
   */
  AWS_ENDPOINT_URL_LAMBDA: z
    .union([z.literal(""), z.url()])
    .optional()
    .transform((url) => url || undefined),
  /**
   * A file that execution log records (state machines' LoggingConfiguration) are appended to, one JSON
   * line each, besides the process log. Unset: the process log only.
   */
  STEPWISE_EXECUTION_LOG_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

/** Parses the environment; a bad value stops start-up with every problem named. */
export function loadRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const parsed = runtimeConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
