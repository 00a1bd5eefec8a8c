/**
 * One delivery: start its execution (named for the event, rule and target, so a second attempt — by this
 * process after an error, or another after this one died — is the same execution), then delete it. A start
 * that fails for a passing reason is tried again with back-off while the event is younger than the
 * target's MaximumEventAgeInSeconds and attempts remain; otherwise the delivery fails, logged and counted.
 */
import type { Runtime } from "@stepwise/runtime";
import { completeDelivery, type NewEventDelivery, retryDelivery } from "@stepwise/storage";
import type { EventObserver } from "./event-metrics.ts";
import { PERMANENT_START_ERRORS, retryDelayMs } from "./retry-policy.ts";

export type DeliveryOutcome = "started" | "retrying" | "failed";

export async function deliverEvent(
  runtime: Runtime,
  delivery: NewEventDelivery & { attempts: number },
  now: Date,
  observer: EventObserver,
): Promise<DeliveryOutcome> {
  const ageMs = now.getTime() - delivery.ingestedAt.getTime();
  if (ageMs > delivery.maximumEventAgeSeconds * 1000)
    return fail(runtime, delivery, observer, new Error("the event is older than the target's MaximumEventAgeInSeconds"));
  try {
    const started = await runtime.engine.start({
      stateMachineArn: delivery.stateMachineArn,
      name: delivery.executionName,
      input: delivery.input,
    });
    if (started.created) observer.delivered(delivery.stateMachineArn);
  } catch (error) {
    const code = (error as Error).name;
    // Started before, and ended since: this delivery is done.
    if (code !== "ExecutionAlreadyExists") {
      const attempts = delivery.attempts + 1;
      const next = new Date(now.getTime() + retryDelayMs(attempts));
      const young = next.getTime() - delivery.ingestedAt.getTime() < delivery.maximumEventAgeSeconds * 1000;
      if (!PERMANENT_START_ERRORS.has(code) && attempts <= delivery.maximumRetryAttempts && young) {
        runtime.logger.warn(
          { err: error, event: delivery.eventId, rule: delivery.ruleArn, target: delivery.targetId },
          "an event's execution could not be started; it will be tried again",
        );
        await retryDelivery(runtime.db, delivery, attempts, next);
        return "retrying";
      }
      return fail(runtime, delivery, observer, error);
    }
  }
  await completeDelivery(runtime.db, delivery);
  return "started";
}

async function fail(runtime: Runtime, delivery: NewEventDelivery, observer: EventObserver, error: unknown): Promise<DeliveryOutcome> {
  runtime.logger.error(
    { err: error, event: delivery.eventId, rule: delivery.ruleArn, target: delivery.targetId, stateMachineArn: delivery.stateMachineArn },
    "an event's delivery failed: its execution could not be started",
  );
  observer.failed(delivery.stateMachineArn);
  await completeDelivery(runtime.db, delivery);
  return "failed";
}
