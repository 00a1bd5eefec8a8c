export * from "./arns.ts";
export * from "./config.ts";
export { ExecutionNotRedrivable, InvalidExecutionInput, InvalidName, UnstorableText } from "./engine/engine-errors.ts";
export { ExecutionEngine, type StartRequest, type StartResult } from "./engine/execution-engine.ts";
export { checkName } from "./engine/names.ts";
export type { TransitionResult } from "./engine/transition.ts";
export type { ExecutionLogRecord } from "./execution-logs/log-record.ts";
export { createLogger, type Logger } from "./logger.ts";
export { apiRequestDuration } from "./metrics/api-metrics.ts";
export { createMetrics, type Metrics } from "./metrics/create-metrics.ts";
export { type RuntimeObserver, RuntimeObservers } from "./observers.ts";
export { exitOnSignals } from "./ops/lifecycle.ts";
export { type OpsServer, startOpsServer } from "./ops/ops-server.ts";
export { type PrivatePostgres, type PrivateRedis, reachable, startPrivatePostgres, startPrivateRedis } from "./ops/private-services.ts";
export { checkReadiness, type Readiness } from "./ops/readiness.ts";
export { Queues, TRANSITIONS_QUEUE, taskQueueName } from "./queues.ts";
export { decodeLease, isLeaseToken, type TaskLease } from "./remote-tasks/lease-token.ts";
export {
  MAX_POLLED_HANDLERS,
  type PolledTask,
  type PollRequest,
  type RemoteOutcome,
  RemoteTasks,
  TaskLeaseLapsed,
  TooManyPolledHandlers,
} from "./remote-tasks/remote-tasks.ts";
export { AWS_INTEGRATION_HANDLER, type AwsIntegration, awsIntegration, BUILT_IN_HANDLERS, resolveResource } from "./resource-map.ts";
export { DEFAULT_EXPIRY_OPTIONS, type ExpiryOptions, type ExpiryReport, expireExecutions } from "./retention/expiry.ts";
export { parseRetentionPeriod, RETENTION_PERIOD_HINT, RETENTION_TAG } from "./retention/retention-period.ts";
export { createRuntime, type Runtime, type RuntimeOptions, redisConnection } from "./runtime.ts";
export { reconcile } from "./scheduler/reconciler.ts";
export { type SchedulerOptions, type SchedulerProcess, startScheduler } from "./scheduler/start-scheduler.ts";
export { accessDeniedMessage, type CredentialScope, matchesNamePattern, ScopeMatcher } from "./scope/credential-scope.ts";
export { type CreateWorkerOptions, createWorker } from "./worker/create-worker.ts";
export { type StartWorkerOptions, startWorker, type WorkerProcess } from "./worker/start-worker.ts";
export { type TaskContext, TaskFailure, type TaskHandler } from "./worker/task-handler.ts";
