/** The worker process's own variables (the runtime, integrations and object store read theirs). */
import { z } from "zod";

export const workerEnvSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe("The port of `/healthz`, `/readyz` and `/metrics` (on every interface)."),
  STEPWISE_HANDLERS_MODULE: z.string().optional().describe("A module whose `handlers` export (name → task handler) the worker runs."),
});
