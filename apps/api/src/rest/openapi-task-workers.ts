/** The OpenAPI paths of task workers in other languages (task-poll-routes.ts) and of task heartbeats. */
import { body, errors, ok, param } from "./openapi-parts.ts";

const tokenOrLease = param("token", "path", { type: "string" }, "A task token, or a lease from `/tasks/poll`, URL-encoded");
const lease = param("token", "path", { type: "string" }, "The task's `leaseToken` from `/tasks/poll`, URL-encoded");

const polledTask = {
  type: "object",
  required: ["leaseToken", "handler", "input", "executionArn", "stateName", "taskId", "resource", "leaseSeconds"],
  properties: {
    leaseToken: { type: "string", description: "Answers the task: `/tasks/{leaseToken}/complete`, `/fail`, `/heartbeat`" },
    handler: { type: "string" },
    input: { description: "The handler's input (any JSON; for lambda:invoke, the Payload)" },
    executionArn: { type: "string" },
    stateName: { type: "string" },
    taskId: { type: "string", description: "The attempt's id, the same on every delivery of it: an idempotency key" },
    resource: { type: "string" },
    taskToken: {
      type: "string",
      description: "`.waitForTaskToken` only: the token that completes the task through `/tasks/{token}/success`",
    },
    leaseSeconds: { type: "number", description: "Send a heartbeat within this long, or the task goes to another worker" },
  },
};

export const taskWorkerPaths = {
  "/tasks/poll": {
    post: {
      summary: "Long poll: take queued tasks of the named handlers, answering as soon as one is queued",
      requestBody: body({
        type: "object",
        required: ["handlers"],
        properties: {
          handlers: {
            type: "array",
            items: { type: "string" },
            minItems: 1,
            maxItems: 32,
            description: "Handler names this worker serves",
          },
          workerId: { type: "string", maxLength: 80, description: "How the worker names itself, for logs" },
          maxTasks: { type: "integer", minimum: 1, maximum: 100, default: 1 },
          waitSeconds: { type: "integer", minimum: 0, maximum: 60, default: 20, description: "How long to wait for a first task" },
        },
      }),
      responses: {
        "200": ok("The tasks taken (none when the wait ended first)", {
          type: "object",
          properties: { tasks: { type: "array", items: polledTask } },
        }),
        ...errors(400, 403, 429),
      },
    },
  },
  "/tasks/{token}/complete": {
    post: {
      summary: "A polled task's handler succeeded: its output becomes the task's result",
      parameters: [lease],
      requestBody: body(
        { type: "object", properties: { output: { description: "The handler's result (any JSON; null when absent)" } } },
        false,
      ),
      responses: { "200": ok("Applied", { type: "object" }), ...errors(400, 403, 404, 409) },
    },
  },
  "/tasks/{token}/fail": {
    post: {
      summary: "A polled task's handler failed, with an error Retry and Catch match",
      parameters: [lease],
      requestBody: body(
        { type: "object", properties: { error: { type: "string", maxLength: 256 }, cause: { type: "string", maxLength: 32768 } } },
        false,
      ),
      responses: { "200": ok("Applied", { type: "object" }), ...errors(400, 403, 404, 409) },
    },
  },
  "/tasks/{token}/heartbeat": {
    post: {
      summary: "A task is still being worked on: renews a polled task's lease, and pushes back a HeartbeatSeconds deadline",
      parameters: [tokenOrLease],
      responses: { "200": ok("Accepted", { type: "object" }), ...errors(400, 403, 404, 409) },
    },
  },
};
