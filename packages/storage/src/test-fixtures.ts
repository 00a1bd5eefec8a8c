import type { HistoryEvent } from "@stepwise/asl";
import type { Executor } from "./connection.ts";
import { type ExecutionRecord, getExecution } from "./repositories/execution-read.ts";
import { createExecution, type NewExecution } from "./repositories/executions.ts";
import { createStateMachine, type StateMachineRecord } from "./repositories/state-machines.ts";

/** Test data shared by the storage tests. */
export const ACCOUNT = "arn:aws:states:us-east-1:123456789012";
export const ROLE_ARN = "arn:aws:iam::123456789012:role/StepwiseTest";
export const PASS_DEFINITION = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });

export const stateMachineArn = (name: string) => `${ACCOUNT}:stateMachine:${name}`;
export const executionArn = (machine: string, name: string) => `${ACCOUNT}:execution:${machine}:${name}`;

export async function givenStateMachine(db: Executor, name: string): Promise<StateMachineRecord> {
  const { stateMachine } = await createStateMachine(db, {
    arn: stateMachineArn(name),
    name,
    definition: PASS_DEFINITION,
    roleArn: ROLE_ARN,
  });
  return stateMachine;
}

export function startedEvent(input: string, timestamp: string): HistoryEvent {
  return {
    id: 1,
    previousEventId: 0,
    timestamp,
    type: "ExecutionStarted",
    executionStartedEventDetails: { input, inputDetails: { truncated: false }, roleArn: ROLE_ARN },
  };
}

export function newExecution(machine: string, name: string, overrides: Partial<NewExecution> = {}): NewExecution {
  const input = overrides.input ?? "{}";
  const startDate = overrides.startDate ?? new Date("2025-01-01T00:00:00.000Z");
  return {
    arn: executionArn(machine, name),
    stateMachineArn: stateMachineArn(machine),
    name,
    input,
    definition: PASS_DEFINITION,
    roleArn: ROLE_ARN,
    startDate,
    events: [startedEvent(input, startDate.toISOString())],
    rootThread: { position: { state: "P" }, status: "RUNNING" },
    ...overrides,
  };
}

export async function givenExecution(
  db: Executor,
  machine: string,
  name: string,
  overrides: Partial<NewExecution> = {},
): Promise<ExecutionRecord> {
  const { execution } = await createExecution(db, newExecution(machine, name, overrides));
  return getExecution(db, execution.arn);
}
