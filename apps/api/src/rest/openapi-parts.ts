/** The pieces the OpenAPI paths are written with (openapi.ts, openapi-task-workers.ts). */
import { ref } from "./openapi-schemas.ts";

export const json = (schema: object) => ({ content: { "application/json": { schema } } });
export const ok = (description: string, schema: object) => ({ description, ...json(schema) });

export function errors(...statuses: number[]) {
  const text: Record<number, string> = {
    400: "Bad request (ValidationException, InvalidArn, InvalidName, InvalidDefinition, InvalidExecutionInput, InvalidToken, SerializationException)",
    401: "Missing or invalid bearer token (UnrecognizedClientException)",
    403: "Outside the bearer token's scope, whether it exists or not (AccessDeniedException)",
    404: "Not found (StateMachineDoesNotExist, ExecutionDoesNotExist, ResourceNotFound, TaskDoesNotExist)",
    409: "Conflict (StateMachineAlreadyExists, StateMachineDeleting, ExecutionAlreadyExists, ExecutionNotRunning, ExecutionNotRedrivable, TaskTimedOut)",
    413: "Request body too large",
    429: "Too many at once (ThrottlingException)",
  };
  return Object.fromEntries([401, ...statuses].map((s) => [String(s), { description: text[s], ...json(ref("Error")) }]));
}

export const param = (
  name: string,
  where: "path" | "query" | "header",
  schema: object,
  description: string,
  required = where === "path",
) => ({
  name,
  in: where,
  required,
  description,
  schema,
});
export const body = (schema: object, required = true) => ({ required, ...json(schema) });
