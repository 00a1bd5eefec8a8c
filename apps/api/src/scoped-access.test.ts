/**
 * Scoped credentials, route by route: every AWS action and every REST route that names a state machine,
 * execution, map run, activity or task token outside the caller's scope is refused with
 * AccessDeniedException before it has any effect, with the same answer whether the thing exists or not;
 * inside the scope nothing is refused.
 */
import { randomUUID } from "node:crypto";
import { CreateActivityCommand, CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { getTaskToken } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "./aws/actions.ts";
import { type Answer, appRoutes, concrete, label, send, signedHeaders } from "./live-api.ts";
import {
  ACCOUNT,
  ADMIN_TOKEN,
  activityArn,
  callbackDefinition,
  machineArn,
  ORDERS_KEY,
  ORDERS_TOKEN,
  ROLE_ARN,
  type ScopedApi,
  startScopedApi,
} from "./scoped-api.ts";

const PASS = { StartAt: "P", States: { P: { Type: "Pass", End: true } } };
/** Operations that name nothing stored: the lists filter instead, and the other two run on the request alone. */
const LISTS = ["ListStateMachines", "ListActivities"];
const NAME_NOTHING = ["TestState", "ValidateStateMachineDefinition"];
const REST_LISTS = ["GET /v1/state-machines", "GET /v1/executions", "GET /v1/webhooks"];
/** Named by themselves, not by their target: one whose target is out of scope answers as an absent one. */
const WEBHOOK_ROUTES = ["GET /v1/webhooks/:webhook", "DELETE /v1/webhooks/:webhook"];
/** Authenticated by the signature of its body, not by a bearer token (webhook-routes.test.ts). */
const SIGNED_ROUTES = ["POST /v1/webhooks/:webhook"];

interface Named {
  /** A name for Create* to use. */
  newName: string;
  machine: string;
  execution: string;
  activity: string;
  token: string;
  /** A task handler a remote worker polls for. */
  handler: string;
  /** A webhook whose target is `machine`. */
  webhook: string;
}

/** One request body that names every kind of resource an action can take, valid for every action. */
function awsBody(named: Named): string {
  const machineName = named.machine.split(":").at(-1);
  return JSON.stringify({
    name: named.newName,
    definition: JSON.stringify(PASS),
    roleArn: ROLE_ARN,
    stateMachineArn: named.machine,
    stateMachineVersionArn: `${named.machine}:1`,
    stateMachineAliasArn: `${named.machine}:live`,
    routingConfiguration: [{ stateMachineVersionArn: `${named.machine}:1`, weight: 100 }],
    executionArn: named.execution,
    mapRunArn: `${ACCOUNT}:mapRun:${machineName}/Map:1`,
    activityArn: named.activity,
    resourceArn: named.machine,
    taskToken: named.token,
    output: "{}",
    tags: [],
    tagKeys: [],
  });
}

const isDenied = (answer: Answer) => answer.status === 400 && answer.json().__type === "com.amazon.coral.service#AccessDeniedException";
/** Answers to requests about different out-of-scope things, with those things' names taken out. */
const normalised = (answer: Answer) => ({ status: answer.status, text: answer.text.replace(/billing-[\w-]+/g, "billing-…") });

let api: ScopedApi;
let billingOut: Named;
let goneOut: Named;
let ordersIn: Named;
let billingExecution: string;

beforeAll(async () => {
  api = await startScopedApi();
  await api.admin.send(new CreateStateMachineCommand({ name: "billing-a", definition: callbackDefinition, roleArn: ROLE_ARN }));
  await api.admin.send(new CreateActivityCommand({ name: "billing-worker" }));
  billingExecution = (await api.admin.send(new StartExecutionCommand({ stateMachineArn: machineArn("billing-a"), name: "billing-run" })))
    .executionArn as string;
  await api.orders.send(new CreateStateMachineCommand({ name: "orders-callback", definition: callbackDefinition, roleArn: ROLE_ARN }));
  const hook = await send(
    api.endpoint,
    "POST",
    "/v1/webhooks",
    { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    JSON.stringify({ name: "billing-hook", stateMachineArn: machineArn("billing-a") }),
  );
  expect(hook.status, hook.text).toBe(201);
  const ordersExecution = (await api.orders.send(new StartExecutionCommand({ stateMachineArn: machineArn("orders-callback") })))
    .executionArn as string;
  billingOut = {
    newName: "billing-new",
    machine: machineArn("billing-a"),
    execution: billingExecution,
    activity: activityArn("billing-worker"),
    token: await api.tokenOf(billingExecution),
    handler: "billing-pack",
    webhook: "billing-hook",
  };
  goneOut = {
    newName: "billing-gone",
    machine: machineArn("billing-gone"),
    execution: `${ACCOUNT}:execution:billing-gone:billing-run`,
    activity: activityArn("billing-gone"),
    token: randomUUID(),
    handler: "billing-gone",
    webhook: "billing-gone-hook",
  };
  ordersIn = {
    newName: "orders-new",
    machine: machineArn("orders-none"),
    execution: `${ACCOUNT}:execution:orders-none:run`,
    activity: activityArn("orders-none"),
    token: await api.tokenOf(ordersExecution),
    handler: "orders-pack",
    webhook: "orders-hook",
  };
});
afterAll(() => api.close());

function callAws(action: string, body: string): Promise<Answer> {
  const headers = signedHeaders({
    host: api.host,
    region: api.region,
    keyId: ORDERS_KEY.id,
    secret: ORDERS_KEY.secret,
    target: action,
    body,
  });
  return send(api.endpoint, "POST", "/", headers, body);
}

function callRest(method: string, routePath: string, named: Named): Promise<Answer> {
  const path = concrete(routePath, {
    name: named.machine.split(":").at(-1) as string,
    arn: encodeURIComponent(named.execution),
    mapRunArn: encodeURIComponent(`${named.execution.replace(":execution:", ":mapRun:")}/Map:1`),
    token: encodeURIComponent(named.token),
    webhook: named.webhook,
  });
  const body =
    method === "GET"
      ? ""
      : JSON.stringify({
          name: named.newName,
          definition: PASS,
          output: {},
          handlers: [named.handler],
          waitSeconds: 0,
          stateMachineArn: named.machine,
        });
  const headers: Record<string, string> = {
    authorization: `Bearer ${ORDERS_TOKEN}`,
    ...(body ? { "content-type": "application/json" } : {}),
  };
  return send(api.endpoint, method, path, headers, body);
}

describe("a key scoped to orders-*, on every AWS action", () => {
  it("is refused whatever it names of billing-*, with the action and the resource in the message, exists or not", async () => {
    expect(ACTIONS.size).toBeGreaterThan(30);
    for (const action of ACTIONS.keys()) {
      const answer = await callAws(action, awsBody(billingOut));
      if (LISTS.includes(action)) {
        expect(answer.status, action).toBe(200);
        expect(answer.text, action).not.toContain("billing-");
        continue;
      }
      if (NAME_NOTHING.includes(action)) {
        expect(isDenied(answer), action).toBe(false);
        continue;
      }
      expect(isDenied(answer), `${action}: ${answer.text}`).toBe(true);
      expect(answer.json().message, action).toMatch(
        new RegExp(`^Access key AKIDORDERS is not authorized to perform: states:${action} on resource: (arn:.*billing-|task token)`),
      );
      expect(normalised(await callAws(action, awsBody(goneOut))), action).toEqual(normalised(answer));
    }
  });

  it("left everything of billing-* as it was", async () => {
    const execution = await api.admin.send(new DescribeExecutionCommand({ executionArn: billingExecution }));
    expect(execution.status).toBe("RUNNING");
    expect((await getTaskToken(api.t.runtime.db, billingOut.token)).status).toBe("STARTED");
    const listed = await send(api.endpoint, "GET", "/v1/state-machines", { authorization: `Bearer ${ADMIN_TOKEN}` });
    const names = listed.json().stateMachines.map((m: { name: string }) => m.name);
    expect(names).toContain("billing-a");
    expect(names.filter((name: string) => name.startsWith("billing-"))).toEqual(["billing-a"]);
  });

  it("is refused nothing inside its scope", async () => {
    for (const action of ACTIONS.keys()) {
      const answer = await callAws(action, awsBody(ordersIn));
      expect(isDenied(answer), `${action}: ${answer.text}`).toBe(false);
    }
  });
});

describe("a bearer token scoped to orders-*, on every REST route", () => {
  const restRoutes = () => appRoutes(api.app).routes.filter((route) => route.path.startsWith("/v1/") && route.path !== "/v1/openapi.json");

  it("is refused whatever it names of billing-*, exists or not, and its lists leave billing-* out", async () => {
    const routes = restRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(17);
    for (const route of routes) {
      const answer = await callRest(route.method, route.path, billingOut);
      if (SIGNED_ROUTES.includes(label(route))) continue;
      if (REST_LISTS.includes(label(route))) {
        expect(answer.status, label(route)).toBe(200);
        expect(answer.text, label(route)).not.toContain("billing-");
        continue;
      }
      if (WEBHOOK_ROUTES.includes(label(route))) {
        expect(answer.status, `${label(route)}: ${answer.text}`).toBe(404);
        expect(normalised(await callRest(route.method, route.path, goneOut)), label(route)).toEqual(normalised(answer));
        continue;
      }
      expect(answer.status, `${label(route)}: ${answer.text}`).toBe(403);
      expect(answer.json().error, label(route)).toBe("AccessDeniedException");
      expect(answer.json().message, label(route)).toContain(
        `Bearer token 2 of STEPWISE_API_TOKENS is not authorized to perform: ${label(route)} on resource: `,
      );
      expect(normalised(await callRest(route.method, route.path, goneOut)), label(route)).toEqual(normalised(answer));
    }
  });

  it("is refused nothing inside its scope", async () => {
    for (const route of restRoutes()) {
      const answer = await callRest(route.method, route.path, ordersIn);
      expect(answer.status, `${label(route)}: ${answer.text}`).not.toBe(403);
    }
  });
});
