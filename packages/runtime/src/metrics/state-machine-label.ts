import { parseArn } from "../arns.ts";

/**
 * The `state_machine` label: the state machine's name, from a state machine or execution ARN. Labels stop
 * at the name (never an execution, version or alias) so the number of series stays bounded.
 */
export function stateMachineLabel(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return "unknown";
  switch (parsed.resourceType) {
    case "stateMachine":
    case "execution":
    case "express":
      return parsed.resourceName.split(":")[0] || "unknown";
    default:
      return "unknown";
  }
}
