/**
 * Whether a scoped credential reaches an ARN: decided here for the API (what a request names) and for
 * the engine (what a running execution starts on that credential's behalf), so the two cannot disagree.
 */
import type { CredentialScope } from "@stepwise/storage";
import { parseArn } from "../arns.ts";

export type { CredentialScope };

/** Named as in their ARNs. */
export type ScopedKind = "stateMachine" | "activity";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function matcher(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "su");
}

/** Whether `name` matches one of `patterns`, in which `*` stands for any run of characters (handler names, say). */
export function matchesNamePattern(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => matcher(pattern).test(name));
}

export class ScopeMatcher {
  private readonly matchers: Record<ScopedKind, readonly RegExp[]>;

  constructor(readonly scope: CredentialScope) {
    this.matchers = { stateMachine: scope.stateMachines.map(matcher), activity: scope.activities.map(matcher) };
  }

  /** A pattern of nothing but `*`: every name of that kind is in scope, whatever it will be. */
  allowsEveryName(kind: ScopedKind): boolean {
    const patterns = kind === "stateMachine" ? this.scope.stateMachines : this.scope.activities;
    return patterns.some((pattern) => /^\*+$/.test(pattern));
  }

  allowsName(kind: ScopedKind, name: string): boolean {
    return this.matchers[kind].some((m) => m.test(name));
  }

  /** An AWS service (`dynamodb`) the scope lists in awsServices, or `*`; a redriver's scope must list it too. */
  allowsAwsService(service: string): boolean {
    if (this.scope.within && !new ScopeMatcher(this.scope.within).allowsAwsService(service)) return false;
    const services = this.scope.awsServices ?? [];
    return services.includes("*") || services.includes(service);
  }

  /** An ARN this cannot attribute to an in-scope machine or activity is out of scope. */
  allowsArn(arn: string): boolean {
    // Redriven by another scoped credential: the starter's scope still holds too.
    if (this.scope.within && !new ScopeMatcher(this.scope.within).allowsArn(arn)) return false;
    const parsed = parseArn(arn);
    if (!parsed) return false;
    const [head = ""] = parsed.resourceName.split(":");
    switch (parsed.resourceType) {
      // Versions and aliases (`name:1`, `name:alias`) and executions (`machine:execution`) start with the machine's name;
      // a Map Run's child executions and their machine with `machine/label` (a name has no `/`).
      case "stateMachine":
      case "execution":
      case "express":
        return this.allowsName("stateMachine", head.split("/")[0] ?? head);
      case "mapRun":
        return mapRunMachines(head).every((name) => this.allowsName("stateMachine", name));
      case "activity":
        return this.allowsName("activity", parsed.resourceName);
      default:
        return false;
    }
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

/** AWS's words for a refusal: who, which action, on what, and why. */
export function accessDeniedMessage(principal: string, action: string, resource: string, reason: string): string {
  return `${principal} is not authorized to perform: ${action} on resource: ${resource} because ${reason}`;
}
