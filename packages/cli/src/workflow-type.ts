import type { WorkflowType } from "@stepwise/asl";
import { CliError } from "./cli-error.ts";

/** `--type`: the workflow type a local run takes (AWS's names, as in CreateStateMachine's `type`). */
export function workflowType(value: string): WorkflowType {
  if (value === "STANDARD" || value === "EXPRESS") return value;
  throw new CliError("InvalidArguments", `--type must be STANDARD or EXPRESS, not '${value}'`);
}
