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
