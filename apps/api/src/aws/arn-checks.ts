/** ARNs in requests: malformed ones and ones of the wrong resource type are `InvalidArn`, as in AWS. */
import { parseArn } from "@stepwise/runtime";
import { invalidArn } from "./aws-error.ts";

export type ResourceType = "stateMachine" | "execution" | "activity";

export function requireArn(arn: string, ...types: ResourceType[]): string {
  const parsed = parseArn(arn);
  if (!parsed) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  if (!(types as string[]).includes(parsed.resourceType)) {
    throw invalidArn(`Resource type not valid in this context: ${parsed.resourceType.toLowerCase()}`);
  }
  const parts = parsed.resourceName.split(":");
  const expectedParts = parsed.resourceType === "execution" ? 2 : 1;
  if (parts.length !== expectedParts || parts.some((part) => part.length === 0)) throw invalidArn(`Invalid ARN: ${arn}`);
  return arn;
}
