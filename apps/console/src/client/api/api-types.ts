/** The JSON the REST API (`/v1`) answers with, as the console reads it (see apps/api/src/rest/views.ts). */
import type { Json } from "../../../../../packages/asl/src/json.ts";
import type { Diagnostic } from "../../../../../packages/asl/src/validate/diagnostics.ts";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED" | "PENDING_REDRIVE";

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"];

export interface StateMachineSummary {
  stateMachineArn: string;
  name: string;
  type: "STANDARD" | "EXPRESS";
  status: string;
  creationDate: string;
}

export interface StateMachine extends StateMachineSummary {
  definition: Json;
  roleArn: string;
  description: string | null;
  revisionId: string | null;
  updateDate: string;
}

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate: string | null;
  redriveCount: number;
}

export interface Execution extends ExecutionSummary {
  input: Json;
  output: Json;
  error: string | null;
  cause: string | null;
  definition: Json;
  /** A distributed Map's child workflow execution: its Map Run and the execution whose Map started it. */
  mapRunArn?: string | null;
  parentExecutionArn?: string | null;
}

export type MapRunStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";

export interface MapRunSummary {
  mapRunArn: string;
  executionArn: string;
  stateMachineArn: string;
  /** The Map state's Label, or its name. */
  label: string;
  status: MapRunStatus;
  startDate: string;
  stopDate: string | null;
}

/** Child executions by status: AWS's item counts and execution counts are the same numbers in Stepwise. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
}

export interface MapRun extends MapRunSummary {
  /** 0: no limit. */
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  counts: MapRunCounts;
  redriveCount: number;
  redriveDate: string | null;
}

export interface StateMachinePage {
  stateMachines: StateMachineSummary[];
  nextToken?: string;
}

export interface ExecutionPage {
  executions: ExecutionSummary[];
  nextToken?: string;
}

export interface CreatedStateMachine {
  stateMachineArn: string;
  creationDate: string;
  warnings: Diagnostic[];
}

export interface DeletedStateMachine {
  stateMachineArn: string;
  status: "DELETED" | "DELETING";
}

export interface UpdatedStateMachine {
  stateMachineArn: string;
  updateDate: string;
  warnings: Diagnostic[];
}

export interface StartedExecution {
  executionArn: string;
  startDate: string;
}

export interface RedrivenExecution {
  executionArn: string;
  redriveDate: string;
}

export interface StoppedExecution {
  executionArn: string;
  status: ExecutionStatus;
  stopDate: string | null;
}

/** The body of every 4xx/5xx answer; InvalidDefinition adds the diagnostics. */
export interface ApiErrorBody {
  error: string;
  message: string;
  diagnostics?: Diagnostic[];
}

/** The machine name is the last part of its ARN (`arn:aws:states:<region>:<account>:stateMachine:<name>`). */
export function machineNameOf(stateMachineArn: string): string {
  return stateMachineArn.slice(stateMachineArn.lastIndexOf(":") + 1);
}

/**
 * The machine a Map Run's child runs under is `<machine>/<label>`; names cannot contain `/`, so the
 * first one separates the parent machine from the label.
 */
export function childMachineOf(stateMachineArn: string): { machine: string; label?: string } {
  const name = machineNameOf(stateMachineArn);
  const slash = name.indexOf("/");
  return slash < 0 ? { machine: name } : { machine: name.slice(0, slash), label: name.slice(slash + 1) };
}

/** The execution name is the last part of its ARN; a child's name follows its `<machine>/<label>:`. */
export function executionNameOf(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(":") + 1);
}
