/**
 * One webhook request, once its signature matched: its delivery is written to Postgres (the same
 * `event_deliveries` the event delivery runner works through) before anything is started, so an accepted
 * request starts its execution even if this process dies next; then it is started at once. The execution
 * is named by the delivery id (the request's `Idempotency-Key`, else GitHub's `X-GitHub-Delivery`, else a
 * new UUID), so a sender's retry of one delivery — before or after the first start, by this process or
 * the runner, while the execution runs or after it ended — is one execution.
 */
import { randomUUID } from "node:crypto";
import { checkName, executionArn, machineTarget, type Runtime } from "@stepwise/runtime";
import {
  completeDelivery,
  getExecution,
  insertDeliveryOnce,
  type NewEventDelivery,
  retryDelivery,
  type WebhookRecord,
} from "@stepwise/storage";
import { ACCEPT_LEASE_MS } from "../events/put-events.ts";
import {
  DEFAULT_EVENT_MAXIMUM_AGE_SECONDS,
  DEFAULT_EVENT_RETRY_ATTEMPTS,
  PERMANENT_START_ERRORS,
  retryDelayMs,
} from "../events/retry-policy.ts";
import type { WebhookObserver } from "./webhook-metrics.ts";

/** The delivery's target id in `event_deliveries`, next to the webhook's ARN in place of a rule's. */
export const WEBHOOK_TARGET_ID = "webhook";

/** Request headers (lower case) that may name the delivery, in order of preference. */
export const DELIVERY_ID_HEADERS = ["idempotency-key", "x-github-delivery"] as const;

export type WebhookDeliveryOutcome =
  /** Started now (`created`), or started before by this delivery id with this body. */
  | { kind: "started"; deliveryId: string; executionArn: string; created: boolean }
  /** Accepted and durable, but not started yet (a passing failure): the delivery runner will. */
  | { kind: "queued"; deliveryId: string; executionArn: string }
  /** Refused by StartExecution for good: the delivery id names an execution with another input, a target gone. */
  | { kind: "refused"; deliveryId: string; error: string; message: string };

export class InvalidDelivery extends Error {
  override readonly name = "ValidationException";
}

export async function acceptWebhookDelivery(
  runtime: Runtime,
  webhook: WebhookRecord,
  request: { body: string; deliveryId: string | undefined },
  observer: WebhookObserver,
): Promise<WebhookDeliveryOutcome> {
  const deliveryId = request.deliveryId ?? randomUUID();
  try {
    checkName(deliveryId, "execution", "Idempotency-Key");
  } catch (error) {
    throw new InvalidDelivery((error as Error).message);
  }
  const input = request.body.trim() === "" ? "{}" : request.body;
  try {
    JSON.parse(input);
  } catch {
    throw new InvalidDelivery("The request body is not JSON: a webhook's body is its execution's input");
  }
  const now = new Date();
  const delivery: NewEventDelivery = {
    eventId: deliveryId,
    ruleArn: webhook.arn,
    targetId: WEBHOOK_TARGET_ID,
    executionName: deliveryId,
    stateMachineArn: webhook.stateMachineArn,
    input,
    ingestedAt: now,
    nextAttemptAt: new Date(now.getTime() + ACCEPT_LEASE_MS),
    maximumEventAgeSeconds: DEFAULT_EVENT_MAXIMUM_AGE_SECONDS,
    maximumRetryAttempts: DEFAULT_EVENT_RETRY_ATTEMPTS,
  };
  // Not written when the same delivery still waits: its first request's row stands, and this start is the same one.
  const written = await insertDeliveryOnce(runtime.db, delivery);
  observer.accepted(webhook.name);
  try {
    const started = await runtime.engine.start({ stateMachineArn: webhook.stateMachineArn, name: deliveryId, input });
    if (written) await completeDelivery(runtime.db, delivery);
    if (started.created) observer.started(webhook.name);
    return { kind: "started", deliveryId, executionArn: started.executionArn, created: started.created };
  } catch (error) {
    const code = (error as Error).name;
    const arn = executionOf(webhook.stateMachineArn, deliveryId);
    // StartExecution is idempotent only while the execution runs; a redelivery after it ended is the same delivery still.
    if (code === "ExecutionAlreadyExists" && (await getExecution(runtime.db, arn)).input === input) {
      if (written) await completeDelivery(runtime.db, delivery);
      return { kind: "started", deliveryId, executionArn: arn, created: false };
    }
    if (code === "ExecutionAlreadyExists" || PERMANENT_START_ERRORS.has(code)) {
      if (written) await completeDelivery(runtime.db, delivery);
      observer.refused(webhook.name);
      return { kind: "refused", deliveryId, error: code, message: (error as Error).message };
    }
    runtime.logger.warn(
      { err: error, webhook: webhook.name, deliveryId },
      "a webhook's execution could not be started yet; it will be tried again",
    );
    if (written) await retryDelivery(runtime.db, delivery, 1, new Date(now.getTime() + retryDelayMs(1)));
    return { kind: "queued", deliveryId, executionArn: arn };
  }
}

function executionOf(stateMachineArn: string, name: string): string {
  const target = machineTarget(stateMachineArn);
  return executionArn(target?.machineArn ?? stateMachineArn, name);
}
