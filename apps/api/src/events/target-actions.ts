/** PutTargets, RemoveTargets and ListTargetsByRule: a rule's targets are Stepwise state machines. */
import { machineTarget } from "@stepwise/runtime";
import { changeTargets, type EventTarget, findStateMachine } from "@stepwise/storage";
import { checkTargets, MAX_TARGETS_PER_RULE } from "@stepwise/triggers";
import type { EventsRequest } from "./events-context.ts";
import { EventsError, validation } from "./events-error.ts";
import { visibleRule } from "./rule-actions.ts";

export async function putTargetsAction(request: EventsRequest) {
  const { runtime, access, action, body } = request;
  const targets = checkTargets(body.Targets);
  // Scope first: the answer then says nothing of what exists outside it.
  await access.require(
    runtime.db,
    action,
    targets.map((target) => ({ arn: target.Arn })),
  );
  for (const [i, target] of targets.entries()) {
    const machineArn = machineTarget(target.Arn)?.machineArn ?? target.Arn;
    const machine = await findStateMachine(runtime.db, machineArn);
    if (machine?.status !== "ACTIVE") throw validation(`Targets[${i}].Arn: the state machine '${machineArn}' does not exist`);
  }
  // The rule's own targets must be in scope too: a scoped caller changes only rules it may reach.
  const rule = await visibleRule(request, "Rule");
  await changeTargets(runtime.db, rule.busName, rule.name, (current) => {
    const merged = new Map(current.map((target) => [target.Id, target]));
    for (const target of targets) merged.set(target.Id, target);
    if (merged.size > MAX_TARGETS_PER_RULE) {
      throw new EventsError(
        "LimitExceededException",
        `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS_PER_RULE} targets.`,
      );
    }
    return [...merged.values()];
  });
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export async function removeTargetsAction(request: EventsRequest) {
  const { body } = request;
  const ids = body.Ids;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100 || !ids.every((id) => typeof id === "string")) {
    throw validation("Ids: must be a list of 1 to 100 target ids");
  }
  const rule = await visibleRule(request, "Rule");
  const removed = new Set(ids as string[]);
  await changeTargets(request.runtime.db, rule.busName, rule.name, (current) => current.filter((target) => !removed.has(target.Id)));
  return { FailedEntryCount: 0, FailedEntries: [] };
}

const targetView = (target: EventTarget) => target;

export async function listTargetsByRuleAction(request: EventsRequest) {
  const rule = await visibleRule(request, "Rule");
  return { Targets: rule.targets.map(targetView) };
}
