/** ARNs in AWS's form, built and read in one place. */
export interface ArnContext {
  region: string;
  accountId: string;
}

export const stateMachineArn = (c: ArnContext, name: string) => `arn:aws:states:${c.region}:${c.accountId}:stateMachine:${name}`;
export const activityArn = (c: ArnContext, name: string) => `arn:aws:states:${c.region}:${c.accountId}:activity:${name}`;

export function executionArn(machineArn: string, name: string): string {
  const machine = parseArn(machineArn);
  if (machine?.resourceType !== "stateMachine") throw new Error(`Not a state machine ARN: ${machineArn}`);
  return `arn:aws:states:${machine.region}:${machine.accountId}:execution:${machine.resourceName}:${name}`;
}

export interface ParsedArn {
  region: string;
  accountId: string;
  resourceType: string;
  /** For executions: `<stateMachineName>:<executionName>`. */
  resourceName: string;
}

export function parseArn(arn: string): ParsedArn | null {
  const match = /^arn:aws:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution|activity|express|mapRun):(.+)$/.exec(arn);
  if (!match) return null;
  return { region: match[1] as string, accountId: match[2] as string, resourceType: match[3] as string, resourceName: match[4] as string };
}
