/** The OpenAPI paths of webhooks (webhook-routes.ts); openapi.ts merges them into the document. */
import { json } from "./openapi-parts.ts";

const error = (description: string) => ({ description, ...json({ $ref: "#/components/schemas/Error" }) });
const webhookParam = { name: "webhook", in: "path", required: true, description: "Webhook name", schema: { type: "string" } };

const webhook = {
  type: "object",
  properties: {
    name: { type: "string" },
    arn: { type: "string" },
    stateMachineArn: { type: "string" },
    description: { type: "string" },
    url: { type: "string", description: "Where senders POST, relative to the server" },
    createdAt: { type: "string", format: "date-time" },
  },
};
const unauthenticated = error("Missing or invalid bearer token (UnrecognizedClientException)");
const outOfScope = error("The webhook's state machine is outside the bearer token's scope (AccessDeniedException)");

export const webhookPaths = {
  "/webhooks": {
    get: {
      summary: "List webhooks by name (those whose state machine is in the token's scope)",
      parameters: [
        { name: "stateMachineArn", in: "query", required: false, description: "Only webhooks of this target", schema: { type: "string" } },
        { name: "nextToken", in: "query", required: false, description: "Token from the previous page", schema: { type: "string" } },
        {
          name: "maxResults",
          in: "query",
          required: false,
          description: "Page size (default 100)",
          schema: { type: "integer", minimum: 1, maximum: 1000 },
        },
      ],
      responses: {
        "200": {
          description: "A page of webhooks, without their secrets",
          ...json({ type: "object", properties: { webhooks: { type: "array", items: webhook }, nextToken: { type: "string" } } }),
        },
        "400": error("Bad query (ValidationException, InvalidToken)"),
        "401": unauthenticated,
      },
    },
    post: {
      summary: "Create a webhook that starts a state machine",
      requestBody: {
        required: true,
        ...json({
          type: "object",
          required: ["name", "stateMachineArn"],
          properties: {
            name: { type: "string", pattern: "^[.\\-_A-Za-z0-9]{1,64}$" },
            stateMachineArn: { type: "string", description: "A state machine, version or alias ARN" },
            secret: { type: "string", minLength: 16, maxLength: 256, description: "Made (and answered once) when left out" },
            description: { type: "string", maxLength: 512 },
          },
        }),
      },
      responses: {
        "201": {
          description: "Created; the only answer that holds the secret",
          ...json({ allOf: [webhook, { type: "object", properties: { secret: { type: "string" } } }] }),
        },
        "400": error("Bad field, or the state machine does not exist (ValidationException)"),
        "401": unauthenticated,
        "403": outOfScope,
        "409": error("The name is taken (ResourceAlreadyExistsException)"),
      },
    },
  },
  "/webhooks/{webhook}": {
    get: {
      summary: "Describe a webhook (without its secret)",
      parameters: [webhookParam],
      responses: {
        "200": { description: "The webhook", ...json(webhook) },
        "401": unauthenticated,
        "403": outOfScope,
        "404": error("No such webhook"),
      },
    },
    delete: {
      summary: "Delete a webhook; deliveries it accepted still start their executions",
      parameters: [webhookParam],
      responses: { "204": { description: "Deleted" }, "401": unauthenticated, "403": outOfScope, "404": error("No such webhook") },
    },
    post: {
      summary: "Deliver to a webhook: starts its state machine with the body as input",
      description:
        "Authenticated by the body's HMAC-SHA256 under the webhook's secret, as `sha256=<hex>` in `X-Stepwise-Signature-256` (or GitHub's `X-Hub-Signature-256`), not by a bearer token. `Idempotency-Key` (or GitHub's `X-GitHub-Delivery`) names the delivery and its execution.",
      security: [],
      parameters: [
        webhookParam,
        {
          name: "X-Stepwise-Signature-256",
          in: "header",
          required: false,
          description: "sha256=<hex HMAC of the body>",
          schema: { type: "string" },
        },
        {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "The delivery id; the execution's name",
          schema: { type: "string" },
        },
      ],
      requestBody: { required: false, ...json({ description: "Any JSON: the execution's input" }) },
      responses: {
        "202": {
          description: "Accepted: the execution started (STARTED), had started for this delivery (ALREADY_STARTED), or will start (QUEUED)",
          ...json({
            type: "object",
            properties: {
              deliveryId: { type: "string" },
              executionArn: { type: "string" },
              status: { enum: ["STARTED", "ALREADY_STARTED", "QUEUED"] },
            },
          }),
        },
        "400": error("Body not JSON or not UTF-8, or an Idempotency-Key that is not an execution name"),
        "401": error("Missing or wrong signature, or no such webhook (InvalidSignature)"),
        "404": error("The webhook's state machine no longer exists (StateMachineDoesNotExist)"),
        "409": error("The delivery id names an execution with another input (ExecutionAlreadyExists)"),
        "413": error("Body larger than STEPWISE_MAX_PAYLOAD_BYTES"),
      },
    },
  },
};
