/**
 * The OpenAPI 3.1 description of the REST API, written by hand next to the routes; openapi.test.ts
 * fails when a route is registered without being described here, or described without existing.
 */
import { body, errors, ok, param } from "./openapi-parts.ts";
import { ref, schemas } from "./openapi-schemas.ts";
import { taskWorkerPaths } from "./openapi-task-workers.ts";
import { webhookPaths } from "./openapi-webhooks.ts";

const nameParam = param("name", "path", { type: "string" }, "State machine name");
const arnParam = param("arn", "path", { type: "string" }, "Execution ARN, URL-encoded");
const mapRunArnParam = param("mapRunArn", "path", { type: "string" }, "Map Run ARN, URL-encoded");
const tokenParam = param("token", "path", { type: "string" }, "Task token, URL-encoded");
const pageParams = [
  param("nextToken", "query", { type: "string" }, "Token from the previous page"),
  param("maxResults", "query", { type: "integer", minimum: 1, maximum: 1000 }, "Page size (default 100)"),
];
const statusParam = param("status", "query", ref("ExecutionStatus"), "Only executions with this status");

const definition = { description: "ASL definition, as an object or as JSON text", oneOf: [{ type: "object" }, { type: "string" }] };

const paths = {
  "/openapi.json": {
    get: { summary: "This document", security: [], responses: { "200": ok("OpenAPI 3.1 document", { type: "object" }) } },
  },
  "/state-machines": {
    get: {
      summary: "List state machines by name",
      parameters: pageParams,
      responses: {
        "200": ok("A page of state machines", {
          type: "object",
          properties: { stateMachines: { type: "array", items: ref("StateMachineSummary") }, nextToken: { type: "string" } },
        }),
        ...errors(400),
      },
    },
    post: {
      summary: "Create a state machine (idempotent for an identical definition)",
      requestBody: body({
        type: "object",
        required: ["name", "definition"],
        properties: {
          name: { type: "string" },
          definition,
          type: { enum: ["STANDARD", "EXPRESS"] },
          roleArn: { type: "string" },
          description: { type: "string" },
        },
      }),
      responses: {
        "201": ok("Created", {
          type: "object",
          properties: {
            stateMachineArn: { type: "string" },
            creationDate: { type: "string" },
            warnings: { type: "array", items: ref("Diagnostic") },
          },
        }),
        "200": ok("An identical state machine already existed", { type: "object" }),
        ...errors(400, 403, 409, 413),
      },
    },
  },
  "/state-machines/{name}": {
    get: {
      summary: "Describe a state machine",
      parameters: [nameParam],
      responses: { "200": ok("The state machine", ref("StateMachine")), ...errors(403, 404) },
    },
    put: {
      summary: "Update a state machine's definition, role or description",
      parameters: [nameParam],
      requestBody: body({ type: "object", properties: { definition, roleArn: { type: "string" }, description: { type: "string" } } }),
      responses: {
        "200": ok("Updated", {
          type: "object",
          properties: {
            stateMachineArn: { type: "string" },
            revisionId: { type: "string" },
            updateDate: { type: "string" },
            warnings: { type: "array", items: ref("Diagnostic") },
          },
        }),
        ...errors(400, 403, 404, 409, 413),
      },
    },
    delete: {
      summary: "Delete a state machine (DELETING until its running executions end)",
      parameters: [nameParam],
      responses: {
        "200": ok("Deleted or being deleted", {
          type: "object",
          properties: { stateMachineArn: { type: "string" }, status: { enum: ["DELETED", "DELETING"] } },
        }),
        ...errors(403, 404),
      },
    },
  },
  "/state-machines/{name}/validate": {
    post: {
      summary: "Validate the definition in the body, or the stored one when the body has none",
      parameters: [nameParam],
      requestBody: body({ type: "object", properties: { definition } }, false),
      responses: {
        "200": ok("Validation report", {
          type: "object",
          properties: { result: { enum: ["OK", "FAIL"] }, diagnostics: { type: "array", items: ref("Diagnostic") } },
        }),
        ...errors(400, 403, 404),
      },
    },
  },
  "/state-machines/{name}/executions": {
    get: {
      summary: "List a state machine's executions, newest first",
      parameters: [nameParam, statusParam, ...pageParams],
      responses: {
        "200": ok("A page of executions", {
          type: "object",
          properties: { executions: { type: "array", items: ref("ExecutionSummary") }, nextToken: { type: "string" } },
        }),
        ...errors(400, 403, 404),
      },
    },
    post: {
      summary: "Start an execution (idempotent for the same name and input while it runs)",
      parameters: [nameParam],
      requestBody: body(
        { type: "object", properties: { name: { type: "string" }, input: { description: "Execution input (any JSON, default {})" } } },
        false,
      ),
      responses: {
        "201": ok("Started", ref("StartedExecution")),
        "200": ok("The same execution was already running", ref("StartedExecution")),
        ...errors(400, 403, 404, 409),
      },
    },
  },
  "/executions": {
    get: {
      summary: "List executions of every state machine, newest first",
      parameters: [
        statusParam,
        param("name", "query", { type: "string" }, "Case-insensitive substring of the execution name"),
        ...pageParams,
      ],
      responses: {
        "200": ok("A page of executions", {
          type: "object",
          properties: { executions: { type: "array", items: ref("ExecutionSummary") }, nextToken: { type: "string" } },
        }),
        ...errors(400),
      },
    },
  },
  "/executions/{arn}": {
    get: {
      summary: "Describe an execution",
      parameters: [arnParam],
      responses: { "200": ok("The execution", ref("Execution")), ...errors(400, 403, 404) },
    },
  },
  "/executions/{arn}/history": {
    get: {
      summary: "An execution's history events",
      parameters: [
        arnParam,
        param("reverse", "query", { type: "boolean" }, "Newest first"),
        param(
          "limit",
          "query",
          { type: "integer", minimum: 1, maximum: 1000 },
          "Most events per page (default 1000); a page also ends at STEPWISE_HISTORY_PAGE_BYTES",
        ),
        param("after", "query", { type: "integer", minimum: 0 }, "Only events after this id (before it when reverse)"),
      ],
      responses: {
        "200": ok("Events", {
          type: "object",
          properties: {
            events: { type: "array", items: ref("HistoryEvent") },
            nextAfter: { type: "integer", description: "Pass as `after` for the next page; absent on the last page" },
          },
        }),
        ...errors(400, 403, 404),
      },
    },
  },
  "/executions/{arn}/events/stream": {
    get: {
      summary: "History as Server-Sent Events: `event: history` per event (id = event id), then `event: end` once the execution has closed",
      parameters: [
        arnParam,
        param("after", "query", { type: "integer", minimum: 0 }, "Only events after this id"),
        param("Last-Event-ID", "header", { type: "string" }, "Resume point, as EventSource sends it; `after` wins"),
      ],
      responses: {
        "200": { description: "An event stream", content: { "text/event-stream": { schema: { type: "string" } } } },
        ...errors(400, 403, 404),
      },
    },
  },
  "/executions/{arn}/stop": {
    post: {
      summary: "Stop a running execution (ABORTED)",
      parameters: [arnParam],
      requestBody: body(
        { type: "object", properties: { error: { type: "string", maxLength: 256 }, cause: { type: "string", maxLength: 32768 } } },
        false,
      ),
      responses: {
        "200": ok("Stopped", {
          type: "object",
          properties: { executionArn: { type: "string" }, status: ref("ExecutionStatus"), stopDate: { type: ["string", "null"] } },
        }),
        ...errors(400, 403, 404, 409),
      },
    },
  },
  "/executions/{arn}/redrive": {
    post: {
      summary: "Run a FAILED, TIMED_OUT or ABORTED standard execution again from the state where it stopped",
      parameters: [arnParam],
      responses: {
        "200": ok("Redriven: the execution is RUNNING again", {
          type: "object",
          properties: { executionArn: { type: "string" }, redriveDate: { type: "string" } },
        }),
        ...errors(400, 403, 404, 409),
      },
    },
  },
  "/executions/{arn}/map-runs": {
    get: {
      summary: "The Map Runs of an execution's distributed Map states, in the order they started",
      parameters: [arnParam],
      responses: {
        "200": ok("Map Runs", { type: "object", properties: { mapRuns: { type: "array", items: ref("MapRunSummary") } } }),
        ...errors(400, 403, 404),
      },
    },
  },
  "/map-runs/{mapRunArn}": {
    get: {
      summary: "Describe a Map Run: status, dates, limits and its child executions' counts",
      parameters: [mapRunArnParam],
      responses: { "200": ok("The Map Run", ref("MapRun")), ...errors(400, 403, 404) },
    },
  },
  "/map-runs/{mapRunArn}/executions": {
    get: {
      summary: "A Map Run's child workflow executions, newest first",
      parameters: [mapRunArnParam, statusParam, ...pageParams],
      responses: {
        "200": ok("A page of child executions", {
          type: "object",
          properties: { executions: { type: "array", items: ref("ExecutionSummary") }, nextToken: { type: "string" } },
        }),
        ...errors(400, 403, 404),
      },
    },
  },
  "/tasks/{token}/success": {
    post: {
      summary: "Complete a waiting task with its output",
      parameters: [tokenParam],
      requestBody: body({ type: "object", required: ["output"], properties: { output: { description: "Task output (any JSON)" } } }),
      responses: { "200": ok("Accepted", { type: "object" }), ...errors(400, 403, 404, 409) },
    },
  },
  "/tasks/{token}/failure": {
    post: {
      summary: "Fail a waiting task",
      parameters: [tokenParam],
      requestBody: body(
        { type: "object", properties: { error: { type: "string", maxLength: 256 }, cause: { type: "string", maxLength: 32768 } } },
        false,
      ),
      responses: { "200": ok("Accepted", { type: "object" }), ...errors(400, 403, 404, 409) },
    },
  },
  ...taskWorkerPaths,
  ...webhookPaths,
};

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Stepwise REST API",
    version: "1",
    description: "Run Amazon States Language state machines on Stepwise. Errors are `{ error, message }` with an AWS-style error name.",
  },
  servers: [{ url: "/v1" }],
  security: [{ bearer: [] }],
  components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas },
  paths,
};
