/** `/state-machines`: create, list, describe, update, delete and validate state machines, addressed by name. */
import { validateDefinition } from "@stepwise/asl";
import { type ArnContext, checkName, stateMachineArn } from "@stepwise/runtime";
import {
  createStateMachine,
  deleteStateMachine,
  getStateMachine,
  listStateMachines,
  purgeStateMachine,
  updateStateMachine,
} from "@stepwise/storage";
import type { Request, Router } from "express";
import { z } from "zod";
import type { ApiDependencies } from "../api-dependencies.ts";
import { accessOf } from "../auth/bearer.ts";
import { definitionReach } from "../auth/definition-reach.ts";
import { checkedDefinition } from "./definition-input.ts";
import { queryPage, readBody } from "./request-input.ts";
import { RestError } from "./rest-error.ts";
import { restAction } from "./scope-checks.ts";
import { stateMachineSummaryView, stateMachineView } from "./views.ts";

const definitionField = z.union([z.string(), z.record(z.string(), z.unknown())], {
  error: "definition must be a JSON object or JSON text",
});
const roleArnField = z.string().regex(/^arn:[^:]+:iam::\d{12}:role\/.+$/, { error: "roleArn must be an IAM role ARN" });
const descriptionField = z.string().max(256);

const createBody = z.object({
  name: z.string({ error: "name is required" }),
  definition: definitionField,
  type: z.enum(["STANDARD", "EXPRESS"]).optional(),
  roleArn: roleArnField.optional(),
  description: descriptionField.optional(),
});

const updateBody = z
  .object({ definition: definitionField.optional(), roleArn: roleArnField.optional(), description: descriptionField.optional() })
  .refine((b) => b.definition !== undefined || b.roleArn !== undefined || b.description !== undefined, {
    error: "give at least one of definition, roleArn, description",
  });

const validateBody = z.object({ definition: definitionField.optional() });

export function arnContext(deps: ApiDependencies): ArnContext {
  return { region: deps.runtime.config.STEPWISE_REGION, accountId: deps.runtime.config.STEPWISE_ACCOUNT_ID };
}

export function machineArnParam(deps: ApiDependencies, req: Request): string {
  return stateMachineArn(arnContext(deps), String(req.params.name));
}

/** Machines created without a role get one in the configured account; Stepwise does not assume roles. */
function defaultRoleArn(deps: ApiDependencies): string {
  return `arn:aws:iam::${deps.runtime.config.STEPWISE_ACCOUNT_ID}:role/stepwise`;
}

export function registerStateMachineRoutes(router: Router, deps: ApiDependencies): void {
  const { db } = deps.runtime;

  router.get("/state-machines", async (req, res) => {
    const arnLike = accessOf(res).stateMachineArnPatterns(arnContext(deps));
    const page = await listStateMachines(db, { ...queryPage(req), ...(arnLike ? { arnLike } : {}) });
    res.json({ stateMachines: page.items.map(stateMachineSummaryView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
  });

  router.post("/state-machines", async (req, res) => {
    const body = readBody(req, createBody);
    const arn = stateMachineArn(arnContext(deps), body.name);
    const access = accessOf(res);
    await access.require(db, restAction(req), [{ arn }]);
    checkName(body.name, "state machine");
    const { text, warnings } = checkedDefinition(body.definition);
    access.requireReach(restAction(req), definitionReach(text, deps.runtime.engine.resourceMap, deps.runtime.engine.lambdaService));
    const { stateMachine, created } = await createStateMachine(db, {
      arn,
      name: body.name,
      definition: text,
      roleArn: body.roleArn ?? defaultRoleArn(deps),
      type: body.type ?? "STANDARD",
      description: body.description ?? null,
    });
    res
      .status(created ? 201 : 200)
      .json({ stateMachineArn: stateMachine.arn, creationDate: stateMachine.createdAt.toISOString(), warnings });
  });

  router.get("/state-machines/:name", async (req, res) => {
    res.json(stateMachineView(await getStateMachine(db, machineArnParam(deps, req))));
  });

  router.put("/state-machines/:name", async (req, res) => {
    const body = readBody(req, updateBody);
    const arn = machineArnParam(deps, req);
    const checked = body.definition === undefined ? undefined : checkedDefinition(body.definition);
    if (checked)
      accessOf(res).requireReach(
        restAction(req),
        definitionReach(checked.text, deps.runtime.engine.resourceMap, deps.runtime.engine.lambdaService),
      );
    const updated = await updateStateMachine(db, arn, {
      ...(checked ? { definition: checked.text } : {}),
      ...(body.roleArn === undefined ? {} : { roleArn: body.roleArn }),
      ...(body.description === undefined ? {} : { description: body.description }),
    });
    res.json({
      stateMachineArn: arn,
      revisionId: updated.revisionId,
      updateDate: updated.updatedAt.toISOString(),
      warnings: checked?.warnings ?? [],
    });
  });

  router.delete("/state-machines/:name", async (req, res) => {
    const arn = machineArnParam(deps, req);
    if (!(await deleteStateMachine(db, arn)))
      throw new RestError(404, "StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    // Running executions keep a DELETING machine until they end; without any, it goes at once.
    const purged = await purgeStateMachine(db, arn);
    res.json({ stateMachineArn: arn, status: purged ? "DELETED" : "DELETING" });
  });

  /** Validates the definition in the body, or the machine's stored one; the answer is a report, not an error. */
  router.post("/state-machines/:name/validate", async (req, res) => {
    const body = readBody(req, validateBody);
    const definition = body.definition ?? (await getStateMachine(db, machineArnParam(deps, req))).definition;
    const result = validateDefinition(definition);
    res.json({ result: result.ok ? "OK" : "FAIL", diagnostics: result.diagnostics });
  });
}
