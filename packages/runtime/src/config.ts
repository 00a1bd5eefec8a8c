/**
 * Runtime configuration, from environment variables, parsed and validated once at start-up. Every
 * default runs against the local services. Each variable's `describe` text is its entry in
 * docs/configuration.md (generated: `npm run docs:config`).
 */
import { loadTracingConfig, type TracingConfig } from "@stepwise/tracing";
import { z } from "zod";
import { parseRetentionPeriod, RETENTION_PERIOD_HINT, RETENTION_PERIOD_PATTERN } from "./retention/retention-period.ts";

const positiveInt = z.coerce.number().int().positive();

export const runtimeConfigSchema = z.object({
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379").describe("Redis for the queues."),
  DATABASE_URL: z
    .string()
    .url()
    .default("postgres://postgres@127.0.0.1:5432/postgres")
    .describe(
      "Postgres 12 or later; `?search_path=` selects a schema. Connections use prepared statements and send `plan_cache_mode` as a start-up parameter, so a pooler in between must support both (PgBouncer, for one, refuses start-up parameters it is not configured for).",
    ),
  // Separate prefixes keep deployments (and tests) apart on one Redis.
  STEPWISE_QUEUE_PREFIX: z.string().min(1).default("stepwise").describe("BullMQ key prefix (deployments sharing a Redis)."),
  STEPWISE_REGION: z.string().min(1).default("us-east-1").describe("The region in ARNs."),
  STEPWISE_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/)
    .default("123456789012")
    .describe("The account id in ARNs."),
  // AWS's payload quota for state input/output.
  STEPWISE_MAX_PAYLOAD_BYTES: positiveInt.default(262_144).describe("State data limit (`States.DataLimitExceeded`), AWS's 262,144 bytes."),
  // Evaluation never yields, so this is how long one hostile expression can hold a process: health
  // checks, other executions and BullMQ lock renewals wait meanwhile.
  STEPWISE_EXPRESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(500)
    .describe(
      "How long one expression evaluation (a JSONata expression; the JSONPath paths of one field set) may hold a process (docs/security.md#expression-budgets).",
    ),
  STEPWISE_MAX_HISTORY_EVENTS: positiveInt.default(25_000).describe("An execution reaching it fails (`States.Runtime`), as in AWS."),
  STEPWISE_DB_POOL_SIZE: positiveInt
    .default(20)
    .describe("Postgres connections per process. Jobs share them: group commit and the task checks batch what jobs ask for."),
  // In the runtime bench 64 did a third more Map items/s than 16 (one execution's items serialise on
  // its lock), and more did no better.
  STEPWISE_GROUP_COMMIT_MAX: positiveInt
    .default(64)
    .describe(
      "Most executions one Postgres transaction commits together (group commit), most requests of one execution (a Map's items finishing) it applies at once, and most StartExecution calls written together; `1` turns batching off.",
    ),
  STEPWISE_GROUP_COMMIT_IN_FLIGHT: positiveInt
    .default(2)
    .describe("Group-commit transactions (and start batches) a process keeps open at once."),
  // More jobs at once make bigger group commits: in the runtime bench 64 did about 35% more states/s
  // than 16, and more than 64 did no better.
  STEPWISE_WORKER_CONCURRENCY: positiveInt.default(64).describe("Jobs per queue a worker runs at once."),
  // BullMQ's lock duration and stalled check.
  STEPWISE_JOB_LOCK_MS: positiveInt.default(30_000).describe("How soon a dead worker's jobs (and local tasks) go to another worker."),
  // See worker/local-tasks.ts.
  STEPWISE_LOCAL_TASKS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true")
    .describe(
      "A worker runs the tasks its own transitions schedule, when it has the handler and a free slot, without a queue hop. `false`: every task is queued.",
    ),
  // See engine/inline-tasks.ts; the execution's lock is held while the transition waits.
  STEPWISE_INLINE_TASK_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(5)
    .describe(
      "With local tasks, how long a transition waits (in total) for handlers it starts inside itself before it commits and lets them run on (a handler answering without waiting on I/O or a timer costs only its call); `0`: never inline.",
    ),
  STEPWISE_SCHEDULER_POLL_MS: positiveInt.default(500).describe("How often the scheduler looks for due timers."),
  STEPWISE_RECONCILE_AFTER_MS: positiveInt
    .default(10_000)
    .describe("How long a thread may sit without progress before the reconciler re-enqueues its next step."),
  STEPWISE_EXECUTION_RETENTION: z
    .string()
    .regex(RETENTION_PERIOD_PATTERN, RETENTION_PERIOD_HINT)
    .default("90d")
    .transform((text) => parseRetentionPeriod(text) as number)
    .describe(
      "How long a closed execution (its history, and its distributed Maps' child executions) is kept before the scheduler deletes it, as `90d`, `12h`, `15m` or `30s`; AWS's 90 days by default. A state machine's `stepwise:retention` tag overrides it for its executions (docs/retention.md).",
    ),
  STEPWISE_EXPIRY_INTERVAL_MS: positiveInt
    .default(60_000)
    .describe("How often the scheduler deletes executions past their retention, when the last round found no more than it could do."),
  STEPWISE_HTTP_ALLOWED_HOSTS: z
    .string()
    .default("")
    .describe("Comma-separated hosts the HTTP Task may call (`api.example.com,*.example.org`). Empty: none."),
  // BullMQ global concurrency and rate limit on the handler's queue.
  STEPWISE_TASK_LIMITS: z
    .string()
    .default("{}")
    .describe(
      'Cluster-wide limits per task handler, as JSON: `{"charge": {"concurrency": 5, "perSecond": 20}}` holds across every worker process.',
    ),
  STEPWISE_RESOURCE_MAP: z
    .string()
    .default("{}")
    .describe(
      "JSON object from Task resource ARNs (or Lambda function names) to handler names; its entries win over built-in integrations.",
    ),
  // Only whether it is set matters here; @stepwise/integrations reads the URL with the other AWS variables.
  AWS_ENDPOINT_URL_LAMBDA: z
    .union([z.literal(""), z.url()])
    .optional()
    .transform((url) => url || undefined)
    .describe(
      "A Lambda-compatible endpoint: set, Lambda resources that `STEPWISE_RESOURCE_MAP` does not map are invoked there instead of running the handler named after the function; empty or unset: handlers (docs/integrations.md).",
    ),
  STEPWISE_EXECUTION_LOG_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A file that execution log records (state machines' `loggingConfiguration`) are appended to, one JSON line each, besides the process log; unset: the process log only (docs/observability.md).",
    ),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("pino log level; logs are JSON lines with the execution ARN and state."),
});

/** The variables above, and OpenTelemetry's standard `OTEL_*` ones for tracing (see packages/tracing). */
export type RuntimeConfig = z.infer<typeof runtimeConfigSchema> & { tracing: TracingConfig };

/** Parses the environment; a bad value stops start-up with every problem named. */
export function loadRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const parsed = runtimeConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return { ...parsed.data, tracing: loadTracingConfig(env) };
}
