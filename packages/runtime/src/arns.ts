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

/**
 * What a state machine ARN names: the machine itself, one of its versions (`name:1`) or one of its aliases
 * (`name:live`). Alias names must hold a character that is not a digit, so the two cannot be mistaken.
 */
export type MachineTarget =
  | { kind: "machine"; machineArn: string }
  | { kind: "version"; machineArn: string; arn: string; version: number }
  | { kind: "alias"; machineArn: string; arn: string; alias: string };

/** The target of a `stateMachine` ARN, or null when it is not one. */
export function machineTarget(arn: string): MachineTarget | null {
  const parsed = parseArn(arn);
  if (parsed?.resourceType !== "stateMachine") return null;
  const [name, qualifier, ...rest] = parsed.resourceName.split(":");
  if (!name || qualifier === "" || rest.length > 0) return null;
  const machineArn = stateMachineArn(parsed, name);
  if (qualifier === undefined) return { kind: "machine", machineArn };
  if (/^[1-9][0-9]*$/.test(qualifier)) return { kind: "version", machineArn, arn, version: Number(qualifier) };
  return { kind: "alias", machineArn, arn, alias: qualifier };
}

/** A version's (`qualifier` a number) or an alias's ARN. */
export const qualifiedMachineArn = (machineArn: string, qualifier: string | number) => `${machineArn}:${qualifier}`;
