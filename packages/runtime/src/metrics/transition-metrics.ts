/** The cost of the engine's transactions: the whole transition, and the history writes inside it. */
import { Counter, Histogram, type Registry } from "prom-client";
import type { RuntimeObserver } from "../observers.ts";
import { stateMachineLabel } from "./state-machine-label.ts";

const DB_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function transitionMetrics(registry: Registry): RuntimeObserver {
  const registers = [registry];
  const transitionDuration = new Histogram({
    name: "stepwise_transition_duration_seconds",
    help: "Engine transitions: the Postgres transaction that applies one trigger, then job dispatch and stop signals",
    buckets: DB_BUCKETS,
    registers,
  });
  const historyWrite = new Histogram({
    name: "stepwise_history_write_duration_seconds",
    help: "Time one transition spent appending its history events to Postgres",
    buckets: DB_BUCKETS,
    registers,
  });
  const events = new Counter({
    name: "stepwise_history_events_total",
    help: "History events appended by transitions (ExecutionStarted is written by the start itself): progress, per state machine",
    labelNames: ["state_machine"],
    registers,
  });
  return {
    transition: ({ executionArn, result, durationMs }) => {
      transitionDuration.observe(durationMs / 1000);
      if (result.eventCount > 0) {
        historyWrite.observe(result.historyWriteMs / 1000);
        events.inc({ state_machine: stateMachineLabel(executionArn) }, result.eventCount);
      }
    },
  };
}
