export { acceptEvents, type PutEventsResponse } from "./events/accept-events.ts";
export { type DeliveryOutcome, deliverEvent } from "./events/deliver-event.ts";
export { type DeliveryRunner, type DeliveryRunnerOptions, startDeliveryRunner } from "./events/delivery-runner.ts";
export { checkEntriesList, type DeliveredEvent, MAX_REQUEST_ENTRIES_BYTES } from "./events/event-entries.ts";
export { type EventObserver, eventMetrics } from "./events/event-metrics.ts";
export {
  busNameOf,
  checkNewBusName,
  checkRuleName,
  deliveryExecutionName,
  type EventsArnContext,
  eventBusArn,
  ruleArn,
} from "./events/event-names.ts";
export { checkTargets, MAX_TARGETS_PER_RULE } from "./events/event-targets.ts";
export { type LocalEventBus, localEventBus } from "./events/local-bus.ts";
export { compilePattern } from "./events/pattern/compile-pattern.ts";
export { matchesPattern } from "./events/pattern/match-pattern.ts";
export { InvalidEventPattern, type ObjectPattern } from "./events/pattern/pattern-types.ts";
export { ACCEPT_LEASE_MS, type PutEventsOutcome, type PutEventsResultEntry, putEvents } from "./events/put-events.ts";
export { targetInput } from "./events/target-input.ts";
export { DueTimes, type ScheduleTiming } from "./expressions/due-times.ts";
export { parseScheduleExpression, type ScheduleExpression } from "./expressions/expression.ts";
export { checkZone } from "./expressions/zone.ts";
export { scheduledExecutionName } from "./schedules/execution-name.ts";
export {
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  type FireOutcome,
  fireSchedule,
} from "./schedules/fire-schedule.ts";
export { type ScheduleObserver, scheduleMetrics } from "./schedules/schedule-metrics.ts";
export {
  checkName,
  firstDue,
  type ScheduleRequestContext,
  type SchedulerArnContext,
  scheduleArn,
  scheduleFromRequest,
  scheduleGroupArn,
} from "./schedules/schedule-request.ts";
export { type ScheduleRunner, type ScheduleRunnerOptions, startScheduleRunner } from "./schedules/schedule-runner.ts";
export { type InvocationContext, START_EXECUTION_TARGET, startCall, targetStateMachine } from "./schedules/target.ts";
export { ValidationException } from "./validation.ts";
export {
  acceptWebhookDelivery,
  DELIVERY_ID_HEADERS,
  InvalidDelivery,
  WEBHOOK_TARGET_ID,
  type WebhookDeliveryOutcome,
} from "./webhooks/accept-webhook-delivery.ts";
export { type WebhookObserver, webhookMetrics } from "./webhooks/webhook-metrics.ts";
export { checkWebhookName, type WebhookRequest, webhookArn, webhookFromRequest } from "./webhooks/webhook-request.ts";
export { newWebhookSecret, SIGNATURE_HEADERS, signatureMatches, webhookSignature } from "./webhooks/webhook-signature.ts";
