/**
 * Executions as they start and finish, the states they enter, their retries and timeouts: counted from
 * what the engine reports after each committed transaction, so a transition repeated by a redelivered job
 * (which the engine ignores) is not counted twice. Express executions, which end in their worker's job
 * rather than in a transition, are counted in the same series when that job closes them.
 */
import { Counter, Histogram, type Registry } from "prom-client";
import type { RuntimeObserver } from "../observers.ts";
import { stateMachineLabel } from "./state-machine-label.ts";

/** From sub-second Pass chains to day-long human approvals. */
const EXECUTION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600, 14_400, 86_400];

const STATE_ENTERED = /^(\w+)StateEntered$/;
const TIMED_OUT = /^(\w+)TimedOut$/;

export function executionMetrics(registry: Registry, now: () => number = Date.now): RuntimeObserver {
  const registers = [registry];
  const started = new Counter({
    name: "stepwise_executions_started_total",
    help: "Executions created (StartExecution, nested executions), including ones queued behind a concurrency limit",
    labelNames: ["state_machine"],
    registers,
  });
  const finished = new Counter({
    name: "stepwise_executions_finished_total",
    help: "Executions that ended, by final status (SUCCEEDED, FAILED, TIMED_OUT, ABORTED)",
    labelNames: ["state_machine", "status"],
    registers,
  });
  const duration = new Histogram({
    name: "stepwise_execution_duration_seconds",
    help: "Time from an execution's start to its end, by final status",
    labelNames: ["state_machine", "status"],
    buckets: EXECUTION_BUCKETS,
    registers,
  });
  const transitions = new Counter({
    name: "stepwise_state_transitions_total",
    help: "States entered, by state type (Task, Pass, Choice, Wait, Parallel, Map, Succeed, Fail)",
    labelNames: ["state_machine", "state_type"],
    registers,
  });
  const retries = new Counter({
    name: "stepwise_retries_total",
    help: "Retries scheduled by a state's Retry rules",
    labelNames: ["state_machine"],
    registers,
  });
  const timeouts = new Counter({
    name: "stepwise_timeouts_total",
    help: "Timeouts, by the history event that recorded them (TaskTimedOut, ActivityTimedOut, ExecutionTimedOut)",
    labelNames: ["state_machine", "event"],
    registers,
  });
  const ended = (state_machine: string, status: string, seconds: number) => {
    finished.inc({ state_machine, status });
    duration.observe({ state_machine, status }, Math.max(0, seconds));
  };
  return {
    executionStarted: (event) => started.inc({ state_machine: stateMachineLabel(event.stateMachineArn) }),
    executionFinished: (event) =>
      ended(stateMachineLabel(event.executionArn), event.status, (event.stopDate.getTime() - event.startDate.getTime()) / 1000),
    transition: ({ executionArn, result }) => {
      const state_machine = stateMachineLabel(executionArn);
      for (const type of result.eventTypes) {
        const entered = STATE_ENTERED.exec(type);
        if (entered) transitions.inc({ state_machine, state_type: entered[1] as string });
        else if (TIMED_OUT.test(type)) timeouts.inc({ state_machine, event: type });
      }
      if (result.retries > 0) retries.inc({ state_machine }, result.retries);
      if (result.finished) ended(state_machine, result.finished.status, (now() - Date.parse(result.startTime)) / 1000);
    },
  };
}
