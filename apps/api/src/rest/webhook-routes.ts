/**
 * Webhooks under `/v1/webhooks`: created, read, listed and deleted with a bearer token like the rest of
 * the REST API, and called — `POST /v1/webhooks/{name}` — by senders that hold no token but the webhook's
 * secret: a request is accepted only with the HMAC-SHA256 signature of its body (see
 * @stepwise/triggers' webhook-signature.ts), and each accepted delivery starts one execution.
 */

import { machineTarget } from "@stepwise/runtime";
import {
  createWebhook,
  deleteWebhook,
  findStateMachine,
  getWebhook,
  listWebhooks,
  WebhookNotFound,
  type WebhookRecord,
} from "@stepwise/storage";
import {
  acceptWebhookDelivery,
  checkWebhookName,
  DELIVERY_ID_HEADERS,
  SIGNATURE_HEADERS,
  signatureMatches,
  ValidationException,
  webhookArn,
  webhookFromRequest,
  webhookMetrics,
} from "@stepwise/triggers";
import express, { type Request, type Router } from "express";
import type { ApiDependencies } from "../api-dependencies.ts";
import { accessOf } from "../auth/bearer.ts";
import { AccessDenied } from "../auth/scopes.ts";
import { queryInteger, queryString } from "./request-input.ts";
import { RestError } from "./rest-error.ts";
import { restAction } from "./scope-checks.ts";
import { arnContext } from "./state-machine-routes.ts";

const REFUSED_STATUS: Readonly<Record<string, number>> = { ExecutionAlreadyExists: 409, StateMachineDoesNotExist: 404 };

/** What the API shows of a webhook: never its secret, which only its creation answers. */
function view(webhook: WebhookRecord) {
  return {
    name: webhook.name,
    arn: webhook.arn,
    stateMachineArn: webhook.stateMachineArn,
    description: webhook.description ?? undefined,
    url: `/v1/webhooks/${webhook.name}`,
    createdAt: webhook.createdAt.toISOString(),
  };
}

function header(req: Request, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

function validationError(error: unknown): never {
  if (error instanceof ValidationException) throw new RestError(400, "ValidationException", error.message);
  throw error;
}

/** The route senders call. Registered before the bearer check: the signature is the credential. */
export function registerWebhookDeliveryRoute(router: Router, deps: ApiDependencies): void {
  const observer = webhookMetrics(deps.registry);
  // The raw bytes, whatever the content type: the signature is over them, exactly as sent.
  const rawBody = express.raw({ type: () => true, limit: deps.runtime.config.STEPWISE_MAX_PAYLOAD_BYTES });
  router.post("/webhooks/:webhook", rawBody, async (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const name = String(req.params.webhook);
    let webhook: WebhookRecord | undefined;
    try {
      webhook = await getWebhook(deps.runtime.db, checkWebhookName(name));
    } catch (error) {
      if ((error as Error).name !== "ResourceNotFoundException" && !(error instanceof ValidationException)) throw error;
    }
    // An unknown webhook answers as a bad signature does, so a caller without a secret learns nothing.
    if (!webhook || !signatureMatches(webhook.secret, body, header(req, SIGNATURE_HEADERS))) {
      observer.rejected(webhook ? "signature" : "unknown");
      deps.runtime.logger.info({ webhook: name, known: webhook !== undefined }, "webhook request refused: bad or missing signature");
      throw new RestError(
        401,
        "InvalidSignature",
        `The request to webhook '${name}' needs the HMAC-SHA256 of its body under the webhook's secret, as sha256=<hex> in ${SIGNATURE_HEADERS[0]}`,
      );
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch {
      throw new RestError(400, "SerializationException", "The request body is not valid UTF-8");
    }
    const outcome = await acceptWebhookDelivery(
      deps.runtime,
      webhook,
      { body: text, deliveryId: header(req, DELIVERY_ID_HEADERS) },
      observer,
    ).catch((error: unknown) => {
      if ((error as Error).name === "ValidationException") throw new RestError(400, "ValidationException", (error as Error).message);
      throw error;
    });
    if (outcome.kind === "refused") {
      throw new RestError(REFUSED_STATUS[outcome.error] ?? 400, outcome.error, outcome.message, { deliveryId: outcome.deliveryId });
    }
    const status = outcome.kind === "queued" ? "QUEUED" : outcome.created ? "STARTED" : "ALREADY_STARTED";
    res.status(202).json({ deliveryId: outcome.deliveryId, executionArn: outcome.executionArn, status });
  });
}

export function registerWebhookRoutes(router: Router, deps: ApiDependencies): void {
  const { db } = deps.runtime;

  router.post("/webhooks", async (req, res) => {
    let request: ReturnType<typeof webhookFromRequest>;
    try {
      request = webhookFromRequest((req.body ?? {}) as Record<string, unknown>);
    } catch (error) {
      validationError(error);
    }
    // Scope first: the answer then says nothing of what exists outside it.
    await accessOf(res).require(db, restAction(req), [{ arn: request.stateMachineArn }]);
    const machine = await findStateMachine(db, machineTarget(request.stateMachineArn)?.machineArn ?? request.stateMachineArn);
    if (machine?.status !== "ACTIVE") {
      throw new RestError(400, "ValidationException", `stateMachineArn: the state machine '${request.stateMachineArn}' does not exist`);
    }
    const webhook: WebhookRecord = {
      name: request.name,
      arn: webhookArn(arnContext(deps), request.name),
      stateMachineArn: request.stateMachineArn,
      secret: request.secret,
      description: request.description ?? null,
      createdAt: new Date(),
    };
    await createWebhook(db, webhook);
    res.status(201).json({ ...view(webhook), secret: webhook.secret });
  });

  router.get("/webhooks", async (req, res) => {
    const page = await listWebhooks(
      db,
      { stateMachineArn: queryString(req, "stateMachineArn") },
      { maxResults: queryInteger(req, "maxResults", 1, 1000), nextToken: queryString(req, "nextToken") },
    );
    const visible: WebhookRecord[] = [];
    for (const webhook of page.items) if (await inScope(req, res, webhook)) visible.push(webhook);
    res.json({ webhooks: visible.map(view), nextToken: page.nextToken });
  });

  router.get("/webhooks/:webhook", async (req, res) => {
    res.json(view(await visibleWebhook(req, res)));
  });

  router.delete("/webhooks/:webhook", async (req, res) => {
    const webhook = await visibleWebhook(req, res);
    await deleteWebhook(db, webhook.name);
    res.status(204).end();
  });

  /** A scoped caller reaches only webhooks whose target is in its scope; the others answer as absent would. */
  async function visibleWebhook(req: Request, res: express.Response): Promise<WebhookRecord> {
    let name: string;
    try {
      name = checkWebhookName(String(req.params.webhook));
    } catch (error) {
      validationError(error);
    }
    const webhook = await getWebhook(db, name);
    // A webhook is named by itself, not by its target: refused, it would tell a scoped caller it exists.
    if (!(await inScope(req, res, webhook))) throw new WebhookNotFound(`Webhook ${name} does not exist.`);
    return webhook;
  }

  async function inScope(req: Request, res: express.Response, webhook: WebhookRecord): Promise<boolean> {
    try {
      await accessOf(res).require(db, restAction(req), [{ arn: webhook.stateMachineArn }]);
      return true;
    } catch (error) {
      if (error instanceof AccessDenied) return false;
      throw error;
    }
  }
}
