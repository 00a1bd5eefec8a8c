/**
 * Step Functions operations Stepwise does not implement. They are answered with a ValidationException that
 * says so, rather than UnknownOperationException (they are real operations) or a fake success. A scoped
 * caller naming something outside its scope is refused first, as for any other operation.
 */
import { z } from "zod";
import type { ResourceRef } from "../auth/scopes.ts";
import { type Action, action } from "./action.ts";
import { validationError } from "./aws-error.ts";

const NOT_SUPPORTED = [
  "CreateStateMachineAlias",
  "DeleteStateMachineAlias",
  "DescribeStateMachineAlias",
  "ListStateMachineAliases",
  "UpdateStateMachineAlias",
  "PublishStateMachineVersion",
  "DeleteStateMachineVersion",
  "ListStateMachineVersions",
] as const;

const STATES_ARN = "arn:aws:states:";

/**
 * These requests are never parsed further, so every Step Functions ARN anywhere in one is what it names
 * (walked without recursion: the body may be nested as deep as its size allows).
 */
function arnsIn(body: unknown): ResourceRef[] {
  const found: ResourceRef[] = [];
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string" && value.startsWith(STATES_ARN)) found.push({ arn: value });
    else if (typeof value === "object" && value !== null) pending.push(...Object.values(value));
  }
  return found;
}

export const unsupportedActions: Record<string, Action> = Object.fromEntries(
  NOT_SUPPORTED.map((name) => [
    name,
    action(z.unknown(), arnsIn, async () => {
      throw validationError(`${name} is not supported yet`);
    }),
  ]),
);
