/**
 * What the schedule runner does, counted: executions started (fires), due times that could not start
 * their execution (misses: the target is gone or refused it, or retries ran out) and due times too old to
 * fire when a scheduler got to them (skips: older than the target's MaximumEventAgeInSeconds).
 */
import { Counter, type Registry } from "prom-client";

export interface ScheduleObserver {
  fired(groupName: string): void;
  missed(groupName: string): void;
  skipped(groupName: string, count: number): void;
}

export function scheduleMetrics(registry: Registry): ScheduleObserver {
  const registers = [registry];
  const labelNames = ["schedule_group"];
  const fires = new Counter({ name: "stepwise_schedule_fires_total", help: "Executions started by schedules", labelNames, registers });
  const misses = new Counter({
    name: "stepwise_schedule_misses_total",
    help: "Due times whose execution could not be started (target missing or refusing, retries exhausted)",
    labelNames,
    registers,
  });
  const skips = new Counter({
    name: "stepwise_schedule_skips_total",
    help: "Due times not fired because they were older than the target's MaximumEventAgeInSeconds when reached",
    labelNames,
    registers,
  });
  return {
    fired: (group) => fires.inc({ schedule_group: group }),
    missed: (group) => misses.inc({ schedule_group: group }),
    skipped: (group, count) => skips.inc({ schedule_group: group }, count),
  };
}
