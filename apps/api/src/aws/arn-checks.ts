/** ARNs in requests: malformed ones and ones of the wrong resource type are `InvalidArn`, as in AWS. */
import { type MachineTarget, machineTarget, parseArn } from "@stepwise/runtime";
import { invalidArn } from "./aws-error.ts";

export type ResourceType = "stateMachine" | "execution" | "activity";

export function requireArn(arn: string, ...types: ResourceType[]): string {
  const parsed = requireArnOf(arn, ...types);
  const parts = parsed.resourceName.split(":");
  const expectedParts = parsed.resourceType === "execution" ? 2 : 1;
  if (parts.length !== expectedParts || parts.some((part) => part.length === 0)) throw invalidArn(`Invalid ARN: ${arn}`);
  return arn;
}

function requireArnOf(arn: string, ...types: ResourceType[]) {
  const parsed = parseArn(arn);
  if (!parsed) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  if (!(types as string[]).includes(parsed.resourceType)) {
    throw invalidArn(`Resource type not valid in this context: ${parsed.resourceType.toLowerCase()}`);
  }
  return parsed;
}

type TargetKind = MachineTarget["kind"];

/**
 * A state machine ARN that may also name one of its versions (`name:1`) or aliases (`name:live`), where
 * the action takes them; anything else is `InvalidArn`.
 */
export function requireMachineTarget<K extends TargetKind>(arn: string, ...kinds: K[]): Extract<MachineTarget, { kind: K }> {
  requireArnOf(arn, "stateMachine");
  const target = machineTarget(arn);
  if (!target || !(kinds as TargetKind[]).includes(target.kind)) throw invalidArn(`Invalid ARN: ${arn}`);
  return target as Extract<MachineTarget, { kind: K }>;
}
