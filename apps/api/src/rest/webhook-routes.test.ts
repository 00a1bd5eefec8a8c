/**
 * Webhooks over real HTTP: a team creates one for its deploy machine, GitHub (or any sender holding the
 * secret) calls it with signed requests, and each delivery starts exactly one execution, named by its
 * delivery id. Unsigned or badly signed requests are refused with 401 and start nothing.
 */
import { createHmac, randomUUID } from "node:crypto";
import { listExecutions } from "@stepwise/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./test-api.ts";

const ADMIN_TOKEN = "admin-token-0123456789";
const ORDERS_TOKEN = "orders-token-0123456789";

const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("webhooks", () => {
  let api: TestApi;
  let deploy: string;
  let ordersIntake: string;

  beforeAll(async () => {
    api = await startTestApi({
      apiEnv: {
        STEPWISE_AUTH: "on",
        STEPWISE_API_TOKENS: `${ADMIN_TOKEN},${ORDERS_TOKEN}`,
        STEPWISE_KEY_SCOPES: JSON.stringify({ [ORDERS_TOKEN]: { stateMachines: ["orders-*"] } }),
      },
    });
    deploy = await api.t.createMachine(
      { StartAt: "Deploy", States: { Deploy: { Type: "Pass", Parameters: { "ref.$": "$.ref", deployed: true }, End: true } } },
      "deploy",
    );
    ordersIntake = await api.t.createMachine({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, "orders-intake");
  });
  afterAll(() => api?.close());

  const admin = (method: string, path: string, body?: unknown) => api.call(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` });
  const orders = (method: string, path: string, body?: unknown) =>
    api.call(method, path, body, { authorization: `Bearer ${ORDERS_TOKEN}` });
  /** What a sender does: POST the raw body, with the headers it chooses, and no API token. */
  const deliver = async (name: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(`${api.endpoint}/v1/webhooks/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  const executionsOf = async (machineArn: string) => (await listExecutions(api.t.runtime.db, { stateMachineArn: machineArn })).items;

  it("GitHub's signed push starts the deploy machine with the push as input; its redelivery is the same execution", async () => {
    const created = await admin("POST", "/webhooks", { name: "github-push", stateMachineArn: deploy, description: "pushes to main" });
    expect(created.status).toBe(201);
    const { secret } = created.body;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(created.body).toMatchObject({ name: "github-push", stateMachineArn: deploy, url: "/v1/webhooks/github-push" });

    const listed = await admin("GET", "/webhooks");
    expect(listed.body.webhooks).toEqual([expect.objectContaining({ name: "github-push", description: "pushes to main" })]);
    expect(listed.body.webhooks[0].secret).toBeUndefined();
    expect((await admin("GET", "/webhooks/github-push")).body.secret).toBeUndefined();

    // The body exactly as GitHub sends it, signed as GitHub signs it.
    const push = JSON.stringify({ ref: "refs/heads/main", after: "5e1f", repository: { full_name: "acme/shop" } }, null, 2);
    const delivery = randomUUID();
    const headers = { "x-hub-signature-256": sign(secret, push), "x-github-delivery": delivery, "x-github-event": "push" };
    const first = await deliver("github-push", push, headers);
    expect(first).toEqual({
      status: 202,
      body: { deliveryId: delivery, executionArn: deploy.replace(":stateMachine:", ":execution:") + `:${delivery}`, status: "STARTED" },
    });
    const { execution } = await api.t.waitFor(first.body.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.input)).toEqual(JSON.parse(push));
    expect(JSON.parse(execution.output as string)).toEqual({ ref: "refs/heads/main", deployed: true });

    // GitHub's "Redeliver": same delivery id, same body.
    const again = await deliver("github-push", push, headers);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ executionArn: first.body.executionArn, status: "ALREADY_STARTED" });
    expect(await executionsOf(deploy)).toHaveLength(1);
  });

  it("a request without the right signature is refused with 401 and starts nothing, as is one to a webhook that does not exist", async () => {
    const { body } = await admin("POST", "/webhooks", { name: "guarded", stateMachineArn: deploy, secret: "a-secret-of-my-own-1234" });
    expect(body.secret).toBe("a-secret-of-my-own-1234");
    const payload = '{"ref":"refs/heads/evil"}';
    const before = (await executionsOf(deploy)).length;

    const unsigned = await deliver("guarded", payload, {});
    const wrongSecret = await deliver("guarded", payload, { "x-stepwise-signature-256": sign("not-the-secret-at-all", payload) });
    const otherBody = await deliver("guarded", payload, { "x-stepwise-signature-256": sign(body.secret, '{"ref":"refs/heads/main"}') });
    const malformed = await deliver("guarded", payload, { "x-stepwise-signature-256": "sha1=abc" });
    const unknown = await deliver("no-such-hook", payload, { "x-stepwise-signature-256": sign(body.secret, payload) });
    for (const refused of [unsigned, wrongSecret, otherBody, malformed, unknown]) {
      expect(refused.status).toBe(401);
      expect(refused.body.error).toBe("InvalidSignature");
      expect(refused.body.message).toContain("x-stepwise-signature-256");
    }
    expect(await executionsOf(deploy)).toHaveLength(before);

    const signed = await deliver("guarded", payload, { "x-stepwise-signature-256": sign(body.secret, payload) });
    expect(signed.status).toBe(202);
    expect(await executionsOf(deploy)).toHaveLength(before + 1);
  });

  it("an Idempotency-Key names the execution: reused with another body it is a conflict; bad keys and bodies are refused", async () => {
    const { body } = await admin("POST", "/webhooks", { name: "payments", stateMachineArn: deploy });
    const send = (payload: string, key?: string) =>
      deliver("payments", payload, { "x-stepwise-signature-256": sign(body.secret, payload), ...(key ? { "idempotency-key": key } : {}) });

    const first = await send('{"ref":"pay-1"}', "evt_1001");
    expect(first.body.executionArn).toMatch(/:execution:deploy:evt_1001$/);
    const conflict = await send('{"ref":"pay-2"}', "evt_1001");
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: "ExecutionAlreadyExists", deliveryId: "evt_1001" });

    const badKey = await send('{"ref":"pay-3"}', "evt 1002");
    expect(badKey.status).toBe(400);
    expect(badKey.body.message).toContain("field 'Idempotency-Key'");
    const notJson = await send("ref=pay-4");
    expect(notJson).toMatchObject({ status: 400, body: { error: "ValidationException" } });
    // Two deliveries without a key are two executions.
    const a = await send('{"ref":"pay-5"}');
    const b = await send('{"ref":"pay-5"}');
    expect(a.body.executionArn).not.toBe(b.body.executionArn);
  });

  it("creating refuses bad names, missing targets and taken names; deleting stops deliveries", async () => {
    expect(await admin("POST", "/webhooks", { name: "has space", stateMachineArn: deploy })).toMatchObject({
      status: 400,
      body: { error: "ValidationException", message: expect.stringMatching(/^name: /) },
    });
    expect(await admin("POST", "/webhooks", { name: "x", stateMachineArn: `${deploy}-gone` })).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/^stateMachineArn: the state machine .* does not exist/) },
    });
    expect(await admin("POST", "/webhooks", { name: "x", stateMachineArn: deploy, secret: "short" })).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/^secret: /) },
    });
    const { body } = await admin("POST", "/webhooks", { name: "short-lived", stateMachineArn: deploy });
    expect((await admin("POST", "/webhooks", { name: "short-lived", stateMachineArn: deploy })).status).toBe(409);

    expect((await admin("DELETE", "/webhooks/short-lived")).status).toBe(204);
    expect((await admin("GET", "/webhooks/short-lived")).status).toBe(404);
    const payload = "{}";
    expect((await deliver("short-lived", payload, { "x-stepwise-signature-256": sign(body.secret, payload) })).status).toBe(401);
  });

  it("a scoped token manages only webhooks of machines in its scope", async () => {
    expect((await orders("POST", "/webhooks", { name: "orders-in", stateMachineArn: ordersIntake })).status).toBe(201);
    const denied = await orders("POST", "/webhooks", { name: "sneaky-deploy", stateMachineArn: deploy });
    expect(denied).toMatchObject({ status: 403, body: { error: "AccessDeniedException" } });
    const seen = await orders("GET", "/webhooks");
    expect(seen.body.webhooks.map((w: { name: string }) => w.name)).toEqual(["orders-in"]);
    // Another team's webhook answers as one that does not exist would: the name alone tells nothing.
    const hidden = await orders("GET", "/webhooks/github-push");
    expect(hidden.status).toBe(404);
    const absent = await orders("GET", "/webhooks/no-such-hook");
    expect({
      status: absent.status,
      error: absent.body.error,
      message: absent.body.message.replace("no-such-hook", "github-push"),
    }).toEqual({
      status: hidden.status,
      error: hidden.body.error,
      message: hidden.body.message,
    });
    expect((await orders("DELETE", "/webhooks/github-push")).status).toBe(404);
    expect((await admin("GET", "/webhooks/github-push")).status).toBe(200);
  });
});
