/**
 * Events, counted: entries accepted by PutEvents, rules they matched, executions started by deliveries
 * (counted by the process that saw the execution created, so never twice) and deliveries that failed.
 */
import { Counter, type Registry } from "prom-client";

export interface EventObserver {
  accepted(busName: string, count: number): void;
  matched(busName: string, ruleName: string): void;
  delivered(stateMachineArn: string): void;
  failed(stateMachineArn: string): void;
}

/** The same counters for every router and runner of a registry. */
const observers = new WeakMap<Registry, EventObserver>();

export function eventMetrics(registry: Registry): EventObserver {
  const known = observers.get(registry);
  if (known) return known;
  const registers = [registry];
  const accepted = new Counter({
    name: "stepwise_events_accepted_total",
    help: "PutEvents entries accepted",
    labelNames: ["event_bus"],
    registers,
  });
  const matched = new Counter({
    name: "stepwise_events_matched_total",
    help: "Events matched by a rule",
    labelNames: ["event_bus", "rule"],
    registers,
  });
  const delivered = new Counter({
    name: "stepwise_event_deliveries_total",
    help: "Executions started by events",
    labelNames: ["state_machine"],
    registers,
  });
  const failed = new Counter({
    name: "stepwise_event_delivery_failures_total",
    help: "Event deliveries whose execution could not be started (target missing or refusing, retries exhausted, event too old)",
    labelNames: ["state_machine"],
    registers,
  });
  const observer: EventObserver = {
    accepted: (bus, count) => accepted.inc({ event_bus: bus }, count),
    matched: (bus, rule) => matched.inc({ event_bus: bus, rule }),
    delivered: (arn) => delivered.inc({ state_machine: arn }),
    failed: (arn) => failed.inc({ state_machine: arn }),
  };
  observers.set(registry, observer);
  return observer;
}
