/**
 * Webhook requests, counted by webhook: accepted (signature matched, delivery written), executions
 * started (counted where the execution was created, so a retried delivery never twice), refused by
 * StartExecution, and rejected before anything was written (bad or missing signature, unknown webhook).
 */
import { Counter, type Registry } from "prom-client";

export interface WebhookObserver {
  accepted(webhook: string): void;
  started(webhook: string): void;
  refused(webhook: string): void;
  rejected(reason: "signature" | "unknown"): void;
}

const observers = new WeakMap<Registry, WebhookObserver>();

export function webhookMetrics(registry: Registry): WebhookObserver {
  const known = observers.get(registry);
  if (known) return known;
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers });
  const accepted = counter("stepwise_webhook_deliveries_accepted_total", "Webhook requests whose signature matched", ["webhook"]);
  const started = counter("stepwise_webhook_executions_started_total", "Executions started by webhook deliveries", ["webhook"]);
  const refused = counter(
    "stepwise_webhook_deliveries_refused_total",
    "Webhook deliveries StartExecution refused (the delivery id names an execution with another input, the target is gone)",
    ["webhook"],
  );
  const rejected = counter("stepwise_webhook_requests_rejected_total", "Webhook requests refused with 401", ["reason"]);
  const observer: WebhookObserver = {
    accepted: (webhook) => accepted.inc({ webhook }),
    started: (webhook) => started.inc({ webhook }),
    refused: (webhook) => refused.inc({ webhook }),
    rejected: (reason) => rejected.inc({ reason }),
  };
  observers.set(registry, observer);
  return observer;
}
