/**
 * PutRule, DescribeRule, DeleteRule, ListRules, EnableRule and DisableRule. A scoped credential may
 * change, see and delete a rule only when every target of it is in its scope (a rule without targets is
 * anyone's); PutTargets holds new targets to the same scope.
 */
import {
  DEFAULT_EVENT_BUS,
  deleteRule,
  type EventRuleRecord,
  getEventBus,
  getRule,
  listRules,
  putRule,
  setRuleState,
} from "@stepwise/storage";
import { busNameOf, checkRuleName, compilePattern, ruleArn } from "@stepwise/triggers";
import { AccessDenied } from "../auth/scopes.ts";
import { ensureDefaultBus } from "./bus-actions.ts";
import { arnContext, type EventsRequest, limitOf, optionalText, tokenOf } from "./events-context.ts";
import { validation } from "./events-error.ts";

/** AWS: an EventPattern of at most 4096 characters. */
const MAX_PATTERN_LENGTH = 4096;

export const busOf = (request: EventsRequest) => busNameOf(request.body.EventBusName, arnContext(request.runtime));

/** The bus must exist (the default bus always does). */
export async function existingBus(request: EventsRequest): Promise<string> {
  const busName = busOf(request);
  if (busName === DEFAULT_EVENT_BUS) await ensureDefaultBus(request);
  else await getEventBus(request.runtime.db, busName);
  return busName;
}

export async function requireRuleInScope(request: EventsRequest, rule: EventRuleRecord): Promise<void> {
  await request.access.require(
    request.runtime.db,
    request.action,
    rule.targets.map((target) => ({ arn: target.Arn })),
  );
}

/** A rule the caller may reach: one with targets outside its scope is refused as if it did not exist. */
export async function visibleRule(request: EventsRequest, field = "Name"): Promise<EventRuleRecord> {
  const rule = await getRule(request.runtime.db, busOf(request), checkRuleName(request.body[field], field));
  await requireRuleInScope(request, rule);
  return rule;
}

export const ruleView = (rule: EventRuleRecord) => ({
  Name: rule.name,
  Arn: rule.arn,
  EventPattern: rule.eventPattern,
  State: rule.state,
  Description: rule.description ?? undefined,
  RoleArn: rule.roleArn ?? undefined,
  EventBusName: rule.busName,
  CreatedBy: undefined,
});

export async function putRuleAction(request: EventsRequest) {
  const { body, runtime } = request;
  const name = checkRuleName(body.Name);
  if (body.ScheduleExpression !== undefined && body.ScheduleExpression !== null) {
    throw validation(
      "ScheduleExpression: scheduled rules are not supported; create the schedule with the EventBridge Scheduler API (CreateSchedule), which Stepwise serves on the same port",
    );
  }
  if (typeof body.EventPattern !== "string") throw validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  if (body.EventPattern.length > MAX_PATTERN_LENGTH) throw validation(`EventPattern: must be at most ${MAX_PATTERN_LENGTH} characters`);
  compilePattern(body.EventPattern);
  const state = body.State ?? "ENABLED";
  if (state !== "ENABLED" && state !== "DISABLED") throw validation("State: must be one of ENABLED, DISABLED");
  const busName = await existingBus(request);
  const existing = await getRule(runtime.db, busName, name).catch(() => undefined);
  if (existing) await requireRuleInScope(request, existing);
  const arn = ruleArn(arnContext(runtime), busName, name);
  await putRule(
    runtime.db,
    {
      arn,
      busName,
      name,
      eventPattern: body.EventPattern,
      state,
      description: optionalText(body.Description, "Description", 512) ?? null,
      roleArn: optionalText(body.RoleArn, "RoleArn", 1600) ?? null,
    },
    new Date(),
  );
  return { RuleArn: arn };
}

export async function describeRuleAction(request: EventsRequest) {
  return ruleView(await visibleRule(request));
}

/** AWS refuses to delete a rule that still has targets (RemoveTargets first). */
export async function deleteRuleAction(request: EventsRequest) {
  const rule = await visibleRule(request).catch((error) => {
    if ((error as Error).name === "ResourceNotFoundException") return undefined;
    throw error;
  });
  if (!rule) return {};
  if (rule.targets.length > 0) throw validation("Rule can't be deleted since it has targets.");
  await deleteRule(request.runtime.db, rule.busName, rule.name);
  return {};
}

export async function enableRuleAction(request: EventsRequest) {
  const rule = await visibleRule(request);
  await setRuleState(request.runtime.db, rule.busName, rule.name, "ENABLED");
  return {};
}

export async function disableRuleAction(request: EventsRequest) {
  const rule = await visibleRule(request);
  await setRuleState(request.runtime.db, rule.busName, rule.name, "DISABLED");
  return {};
}

/** ListRules: a scoped caller sees the rules it may reach only. */
export async function listRulesAction(request: EventsRequest) {
  const busName = await existingBus(request);
  const namePrefix = request.body.NamePrefix === undefined ? undefined : checkRuleName(request.body.NamePrefix, "NamePrefix");
  const page = await listRules(
    request.runtime.db,
    { busName, namePrefix },
    { maxResults: limitOf(request.body.Limit), nextToken: tokenOf(request.body.NextToken) },
  );
  const visible: EventRuleRecord[] = [];
  for (const rule of page.items) {
    try {
      await requireRuleInScope(request, rule);
      visible.push(rule);
    } catch (error) {
      if (!(error instanceof AccessDenied)) throw error;
    }
  }
  return { Rules: visible.map(ruleView), NextToken: page.nextToken };
}
