/** ValidateStateMachineDefinition: the core validator's diagnostics, in AWS's response shape. */
import { z } from "zod";
import { type Action, action, namesNothing } from "./action.ts";
import { diagnoseDefinition } from "./definition-check.ts";

const validateRequest = z.object({
  definition: z.string().min(1).max(1_048_576),
  type: z.enum(["STANDARD", "EXPRESS"]).optional(),
  severity: z.enum(["ERROR", "WARNING"]).optional(),
  maxResults: z.number().int().min(0).max(100).optional(),
});

const validateDefinitionAction: Action = action(validateRequest, namesNothing, async (_context, request) => {
  const all = diagnoseDefinition(request.definition, request.type ?? "STANDARD");
  // `severity` is the least severe level reported (ERROR, the default, leaves warnings out).
  const shown = request.severity === "WARNING" ? all : all.filter((d) => d.severity === "ERROR");
  const limit = request.maxResults || 100;
  return {
    result: all.some((d) => d.severity === "ERROR") ? "FAIL" : "OK",
    diagnostics: shown.slice(0, limit).map(({ severity, code, message, location }) => ({ severity, code, message, location })),
    truncated: shown.length > limit,
  };
});

export const validateActions: Record<string, Action> = { ValidateStateMachineDefinition: validateDefinitionAction };
