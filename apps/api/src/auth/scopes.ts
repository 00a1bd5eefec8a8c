/**
 * Scoped credentials: which state machines and activities a caller may reach, decided here for the AWS
 * protocol, the REST routes and the event stream alike.
 *
 * A request is refused with AccessDeniedException when it names anything outside the caller's scope, and
 * it is refused the same way whether that thing exists or not, so a scoped caller learns nothing about
 * what lies outside its scope. Executions and map runs belong to the state machine their ARN names; a
 * task token belongs to its execution (and, for activity tasks, to its activity too).
 */
import type { ArnContext, CredentialScope } from "@stepwise/runtime";
import { accessDeniedMessage, matchesNamePattern, ScopeMatcher } from "@stepwise/runtime";
import { type ArnPatterns, type Executor, getTaskToken, TaskDoesNotExist } from "@stepwise/storage";
import type { DefinitionReach } from "./definition-reach.ts";

/** What one credential may reach: name patterns in which `*` stands for any run of characters. */
export interface KeyScope {
  stateMachines: readonly string[];
  activities: readonly string[];
  /**
   * AWS services (as resources name them: `dynamodb`, `sqs`, or `*`) the machines this credential
   * creates may call through integrations. None when absent.
   */
  awsServices?: readonly string[];
  /**
   * Task handlers (name patterns) a remote worker holding this credential may poll and answer over HTTP,
   * whichever machine queued their tasks. None when absent.
   */
  handlers?: readonly string[];
}

/** Something a request names: by ARN (state machine, execution, map run, activity) or by task token. */
export type ResourceRef = { arn: string } | { taskToken: string };

export class AccessDenied extends Error {
  override readonly name = "AccessDeniedException";

  constructor(principal: string, action: string, resource: string, reason = "it is outside the scope of this credential") {
    super(accessDeniedMessage(principal, action, resource, reason));
  }
}

/** Named as in their ARNs. */
type ResourceKind = "stateMachine" | "activity";

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export class Access {
  private constructor(
    /** How refusals name the caller: an access key ID or a bearer token's position, never a secret. */
    readonly principal: string,
    private readonly scope: ScopeMatcher | undefined,
    private readonly awsServices: ReadonlySet<string> = new Set(),
    private readonly handlers: readonly string[] = [],
  ) {}

  /** A credential without a scope, or any caller when authentication is off: everything is reachable. */
  static unrestricted(principal: string): Access {
    return new Access(principal, undefined);
  }

  static scoped(principal: string, scope: KeyScope): Access {
    return new Access(
      principal,
      // awsServices is recorded with the executions it starts: their integration tasks are checked as they run.
      new ScopeMatcher({
        principal,
        stateMachines: scope.stateMachines,
        activities: scope.activities,
        awsServices: scope.awsServices ?? [],
      }),
      new Set(scope.awsServices ?? []),
      scope.handlers ?? [],
    );
  }

  /**
   * What an execution this caller starts records as its owner's scope, so that what the execution starts
   * while it runs is held to the same scope (undefined: unrestricted).
   */
  get executionScope(): CredentialScope | undefined {
    return this.scope?.scope;
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

  /** Refuses a remote worker's poll (or its answer to a task) for a handler the scope does not list in `handlers`. */
  requireHandlers(action: string, handlers: readonly string[]): void {
    if (!this.scope) return;
    const outside = handlers.find((handler) => !matchesNamePattern(this.handlers, handler));
    if (outside !== undefined) {
      throw new AccessDenied(this.principal, action, `handler '${outside}'`, "this credential's scope does not list it in handlers");
    }
  }

  /**
   * Refuses a definition that would reach, once it runs, state machines or activities outside the scope:
   * a machine the caller may start must not be its way around the scope. A target chosen at run time
   * could be anything, so a scoped caller may only name its targets literally, unless its scope holds
   * every machine. AWS service integrations are refused unless the scope lists their service in
   * `awsServices`: a scoped credential must not reach other systems through a machine. (Nested starts are checked again when they happen: see the engine's nested-executions.ts.)
   */
  requireReach(action: string, reach: DefinitionReach): void {
    if (!this.scope) return;
    const outside = reach.arns.find((target) => !this.allowsArn(target.arn));
    if (outside) {
      throw new AccessDenied(this.principal, action, outside.arn, `the definition's state '${outside.state}' names it outside the scope`);
    }
    const service = reach.services.find((s) => !this.awsServices.has("*") && !this.awsServices.has(s.service));
    if (service) {
      throw new AccessDenied(
        this.principal,
        action,
        `state '${service.state}'`,
        `it calls the AWS service '${service.service}', which this credential's scope does not list in awsServices`,
      );
    }
    const [dynamic] = reach.dynamicStates;
    if (dynamic !== undefined && !this.scope.allowsEveryName("stateMachine")) {
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
    const patterns = kind === "stateMachine" ? this.scope.scope.stateMachines : this.scope.scope.activities;
    return patterns.map((pattern) => prefix + pattern.split("*").map(escapeLike).join("%"));
  }

  private allowsArn(arn: string): boolean {
    return this.scope?.allowsArn(arn) ?? true;
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
