/**
 * Which version a start through a version or an alias ARN runs. An alias picks one of its versions at
 * random by weight for each start, here rather than in the store or the ASL interpreter, which stay
 * deterministic.
 */
import {
  type Executor,
  findStateMachineAliases,
  findStateMachineVersions,
  type RoutingEntry,
  StateMachineDoesNotExist,
  type StateMachineVersionRecord,
} from "@stepwise/storage";
import type { MachineTarget } from "./arns.ts";

/** The version a start runs and the alias that picked it; neither for the machine's own ARN. */
export interface StartTarget {
  version?: StateMachineVersionRecord;
  aliasArn?: string;
}

/**
 * The targets of starts naming these ARNs, as `machineTarget` parsed them (one per start, repeats
 * included: each start through an alias picks on its own), in two statements at most whatever their
 * number, and none when no ARN is qualified. A version or alias that does not exist is the start's
 * StateMachineDoesNotExist.
 */
export async function resolveStartTargets(
  db: Executor,
  targets: readonly (MachineTarget | null)[],
  random: () => number = Math.random,
): Promise<Array<StartTarget | Error>> {
  const aliasArns = targets.flatMap((t) => (t?.kind === "alias" ? [t.arn] : []));
  const aliases = await findStateMachineAliases(db, [...new Set(aliasArns)]);
  const chosen = targets.map((target) => {
    if (target?.kind === "version") return target.arn;
    if (target?.kind !== "alias") return undefined;
    const alias = aliases.get(target.arn);
    return alias && pickVersion(alias.routingConfiguration, random);
  });
  const versionArns = chosen.filter((arn): arn is string => arn !== undefined);
  const versions = await findStateMachineVersions(db, [...new Set(versionArns)]);
  return targets.map((target, i) => {
    if (target === null || target.kind === "machine") return {};
    const version = versions.get(chosen[i] ?? "");
    if (!version) return new StateMachineDoesNotExist(target.arn);
    return target.kind === "alias" ? { version, aliasArn: target.arn } : { version };
  });
}

/** One of the routing's versions, each with the chance its weight (percent) gives it. */
export function pickVersion(routing: readonly RoutingEntry[], random: () => number): string {
  let point = random() * 100;
  for (const entry of routing) {
    if (point < entry.weight) return entry.stateMachineVersionArn;
    point -= entry.weight;
  }
  throw new Error(`Routing weights do not add up to 100: ${JSON.stringify(routing)}`);
}
