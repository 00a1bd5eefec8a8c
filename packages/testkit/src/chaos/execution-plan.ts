/**
 * Which executions the chaos run starts, with what input and when: drawn from the seed, so a seed names
 * the same workload every time. The test writes it; the client starts it and records what it started.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { Json } from "@stepwise/asl";
import { executionArn } from "@stepwise/runtime";
import { type WorkloadKind, workloadKinds } from "./workload.ts";

export interface PlannedExecution {
  name: string;
  /** Index into workloadKinds. */
  kind: number;
  stateMachineArn: string;
  input: Json;
  /** Milliseconds after `opened`. */
  at: number;
}

export interface ExecutionPlan {
  /** Epoch ms the start window opens. */
  opened: number;
  executions: PlannedExecution[];
}

/** `count` executions, the kinds in turn, starts spread evenly over `windowMs` from `opened`. */
export function planExecutions(
  random: () => number,
  machineArns: readonly string[],
  count: number,
  opened: number,
  windowMs: number,
): ExecutionPlan {
  const executions = Array.from({ length: count }, (_, i) => {
    const kind = i % workloadKinds.length;
    return {
      name: `chaos-${i}`,
      kind,
      stateMachineArn: machineArns[kind] as string,
      input: (workloadKinds[kind] as WorkloadKind).input(random),
      at: Math.round((i / count) * windowMs),
    };
  });
  return { opened, executions };
}

export const plannedArn = (e: PlannedExecution) => executionArn(e.stateMachineArn, e.name);

export function appendStarted(file: string, name: string): void {
  appendFileSync(file, `${name}\n`);
}

export function readStarted(file: string): Set<string> {
  return new Set(existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);
}
