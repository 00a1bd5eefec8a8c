/**
 * Step Functions operations Stepwise does not implement. They are answered with a ValidationException that
 * says so, rather than UnknownOperationException (they are real operations) or a fake success.
 */
import type { Action } from "./action.ts";
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
  "DescribeMapRun",
  "ListMapRuns",
  "UpdateMapRun",
] as const;

export const unsupportedActions: Record<string, Action> = Object.fromEntries(
  NOT_SUPPORTED.map((name) => [
    name,
    {
      run: async () => {
        throw validationError(`${name} is not supported yet`);
      },
    },
  ]),
);
