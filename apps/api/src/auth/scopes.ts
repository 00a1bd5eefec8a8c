/**
 * Scoped credentials: which state machines and activities a caller may reach, decided here for the AWS
 * protocol, the REST routes and the event stream alike.
 *
 * A request is refused with AccessDeniedException when it names anything outside the caller's scope, and
 * it is refused the same way whether that thing exists or not, so a scoped caller learns nothing about
 * what lies outside its scope. Executions and map runs belong to the state machine their ARN names; a
 * task token belongs to its execution (and, for activity tasks, to its activity too).
 */
import type { ArnContext } from "@stepwise/runtime";
import { parseArn } from "@stepwise/runtime";
import { type ArnPatterns, type Executor, getTaskToken, TaskDoesNotExist } from "@stepwise/storage";
import type { DefinitionReach } from "./definition-reach.ts";

/** What one credential may reach: name patterns in which `*` stands for any run of characters. */
export interface KeyScope {
  stateMachines: readonly string[];
  activities: readonly string[];
}

/** Something a request names: by ARN (state machine, execution, map run, activity) or by task token. */
export type ResourceRef = { arn: string } | { taskToken: string };

export class AccessDenied extends Error {
  override readonly name = "AccessDeniedException";

  constructor(principal: string, action: string, resource: string, reason = "it is outside the scope of this credential") {
    super(`${principal} is not authorized to perform: ${action} on resource: ${resource} because ${reason}`);
  }
}

/** Named as in their ARNs. */
type ResourceKind = "stateMachine" | "activity";

interface CompiledScope {
  patterns: Record<ResourceKind, readonly string[]>;
  matchers: Record<ResourceKind, readonly RegExp[]>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

function matcher(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "su");
}

export class Access {
  private constructor(
    /** How refusals name the caller: an access key ID or a bearer token's position, never a secret. */
    readonly principal: string,
    private readonly scope: CompiledScope | undefined,
  ) {}

  /** A credential without a scope, or any caller when authentication is off: everything is reachable. */
  static unrestricted(principal: string): Access {
    return new Access(principal, undefined);
  }

  static scoped(principal: string, scope: KeyScope): Access {
    return new Access(principal, {
      patterns: { stateMachine: scope.stateMachines, activity: scope.activities },
      matchers: { stateMachine: scope.stateMachines.map(matcher), activity: scope.activities.map(matcher) },
    });
  }

  /** Refuses the request unless every resource it names is in scope. */
  async require(db: Executor, action: string, resources: readonly ResourceRef[]): Promise<void> {
    if (!this.scope) return;
    for (const resource of resources) {
      if ("arn" in resource) {
        if (!this.allowsArn(resource.arn)) throw new AccessDenied(this.principal, action, resource.arn);
      } else if (!(await this.allowsTaskToken(db, resource.taskToken))) {
        throw new AccessDenied(this.principal, action, "task token");
      }
    }
  }

  /**
   * Refuses a definition that would reach, once it runs, state machines or activities outside the scope:
   * a machine the caller may start must not be its way around the scope. A target chosen at run time
   * cannot be checked beforehand, so a scoped caller may only name its targets literally.
   */
  requireReach(action: string, reach: DefinitionReach): void {
    if (!this.scope) return;
    const outside = reach.arns.find((target) => !this.allowsArn(target.arn));
    if (outside) {
      throw new AccessDenied(this.principal, action, outside.arn, `the definition's state '${outside.state}' names it outside the scope`);
    }
    const [dynamic] = reach.dynamicStates;
    if (dynamic !== undefined) {
      throw new AccessDenied(
        this.principal,
        action,
        `state '${dynamic}'`,
        "it starts a state machine chosen at run time, and a scoped credential must name the machines it starts literally",
      );
    }
  }

  /** SQL LIKE patterns of the state machine ARNs in scope, for listings; undefined when all are. */
  stateMachineArnPatterns(context: ArnContext): ArnPatterns | undefined {
    return this.likePatterns(context, "stateMachine");
  }

  activityArnPatterns(context: ArnContext): ArnPatterns | undefined {
    return this.likePatterns(context, "activity");
  }

  private likePatterns(context: ArnContext, kind: ResourceKind): ArnPatterns | undefined {
    if (!this.scope) return undefined;
    const prefix = escapeLike(`arn:aws:states:${context.region}:${context.accountId}:${kind}:`);
    return this.scope.patterns[kind].map((pattern) => prefix + pattern.split("*").map(escapeLike).join("%"));
  }

  private allows(kind: ResourceKind, name: string): boolean {
    return this.scope?.matchers[kind].some((m) => m.test(name)) ?? true;
  }

  /** An ARN this cannot attribute to an in-scope machine or activity is out of scope. */
  private allowsArn(arn: string): boolean {
    const parsed = parseArn(arn);
    if (!parsed) return false;
    const [head = ""] = parsed.resourceName.split(":");
    switch (parsed.resourceType) {
      // Versions and aliases (`name:1`, `name:alias`) and executions (`machine:execution`) start with the machine's name.
      case "stateMachine":
      case "execution":
      case "express":
        return this.allows("stateMachine", head);
      case "mapRun":
        return mapRunMachines(head).every((name) => this.allows("stateMachine", name));
      case "activity":
        return this.allows("activity", parsed.resourceName);
      default:
        return false;
    }
  }

  /** A token nobody issued is out of scope too: the answer must not tell which tokens exist. */
  private async allowsTaskToken(db: Executor, token: string): Promise<boolean> {
    let record: Awaited<ReturnType<typeof getTaskToken>>;
    try {
      record = await getTaskToken(db, token);
    } catch (error) {
      if (error instanceof TaskDoesNotExist) return false;
      throw error;
    }
    return this.allowsArn(record.executionArn) || (record.activityArn !== null && this.allowsArn(record.activityArn));
  }
}

/**
 * `machine/label` of a map run ARN: names may contain `/`, so every split is a machine the ARN could
 * belong to, and all of them must be in scope.
 */
function mapRunMachines(head: string): string[] {
  const machines: string[] = [];
  for (let at = head.indexOf("/"); at > 0; at = head.indexOf("/", at + 1)) machines.push(head.slice(0, at));
  return machines.length > 0 ? machines : [head];
}
