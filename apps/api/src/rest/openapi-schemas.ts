/** The OpenAPI components (schemas) of the REST API's bodies; see openapi.ts for the paths. */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const schemas = {
  Error: {
    type: "object",
    required: ["error", "message"],
    properties: {
      error: { type: "string", description: "AWS-style error name" },
      message: { type: "string" },
      diagnostics: { type: "array", items: ref("Diagnostic"), description: "InvalidDefinition only" },
    },
  },
  Diagnostic: {
    type: "object",
    required: ["severity", "code", "message", "location"],
    properties: {
      severity: { enum: ["ERROR", "WARNING"] },
      code: { type: "string" },
      message: { type: "string" },
      location: { type: "string" },
    },
  },
  ExecutionStatus: { enum: ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"] },
  StateMachineSummary: {
    type: "object",
    properties: {
      stateMachineArn: { type: "string" },
      name: { type: "string" },
      type: { enum: ["STANDARD", "EXPRESS"] },
      status: { enum: ["ACTIVE", "DELETING"] },
      creationDate: { type: "string", format: "date-time" },
    },
  },
  StateMachine: {
    allOf: [
      ref("StateMachineSummary"),
      {
        type: "object",
        properties: {
          definition: { type: "object" },
          roleArn: { type: "string" },
          description: { type: ["string", "null"] },
          revisionId: { type: "string" },
          updateDate: { type: "string", format: "date-time" },
        },
      },
    ],
  },
  ExecutionSummary: {
    type: "object",
    properties: {
      executionArn: { type: "string" },
      stateMachineArn: { type: "string" },
      name: { type: "string" },
      status: ref("ExecutionStatus"),
      startDate: { type: "string", format: "date-time" },
      stopDate: { type: ["string", "null"], format: "date-time" },
      redriveCount: { type: "integer" },
    },
  },
  Execution: {
    allOf: [
      ref("ExecutionSummary"),
      {
        type: "object",
        properties: {
          input: { description: "Execution input (JSON)" },
          output: { description: "Execution output (JSON), null unless SUCCEEDED" },
          error: { type: ["string", "null"] },
          cause: { type: ["string", "null"] },
          definition: { type: "object", description: "The definition this execution runs" },
          roleArn: { type: "string" },
          traceHeader: { type: ["string", "null"] },
          stateMachineVersionArn: { type: ["string", "null"], description: "The version it was started through (or its alias picked)" },
          stateMachineAliasArn: { type: ["string", "null"], description: "The alias it was started through" },
          mapRunArn: { type: ["string", "null"], description: "A distributed Map's child execution: its Map Run" },
          parentExecutionArn: {
            type: ["string", "null"],
            description: "A distributed Map's child execution: the execution that started it",
          },
        },
      },
    ],
  },
  HistoryEvent: {
    type: "object",
    description: "A history event in the shape of AWS's GetExecutionHistory",
    required: ["id", "previousEventId", "timestamp", "type"],
    properties: {
      id: { type: "integer" },
      previousEventId: { type: "integer" },
      timestamp: { type: "string", format: "date-time" },
      type: { type: "string" },
    },
    additionalProperties: true,
  },
  MapRunSummary: {
    type: "object",
    properties: {
      mapRunArn: { type: "string" },
      executionArn: { type: "string", description: "The execution whose Map state started it" },
      stateMachineArn: { type: "string" },
      label: { type: "string", description: "The Map state's Label (or name), as the run's ARN has it" },
      status: { enum: ["RUNNING", "SUCCEEDED", "FAILED", "ABORTED"] },
      startDate: { type: "string", format: "date-time" },
      stopDate: { type: ["string", "null"], format: "date-time" },
    },
  },
  MapRunCounts: {
    type: "object",
    description: "Child executions by status; AWS's item counts are the same numbers here",
    properties: Object.fromEntries(
      ["pending", "running", "succeeded", "failed", "timedOut", "aborted", "total"].map((k) => [k, { type: "integer" }]),
    ),
  },
  MapRun: {
    allOf: [
      ref("MapRunSummary"),
      {
        type: "object",
        properties: {
          maxConcurrency: { type: "integer", description: "0: no limit" },
          toleratedFailureCount: { type: "integer" },
          toleratedFailurePercentage: { type: "number" },
          counts: ref("MapRunCounts"),
          redriveCount: { type: "integer" },
          redriveDate: { type: ["string", "null"], format: "date-time" },
        },
      },
    ],
  },
  StartedExecution: {
    type: "object",
    properties: { executionArn: { type: "string" }, startDate: { type: "string", format: "date-time" } },
  },
};
