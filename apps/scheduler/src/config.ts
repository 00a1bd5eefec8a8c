/** The scheduler process's own variables (the runtime reads the rest). */
import { z } from "zod";

export const schedulerEnvSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe("The port of `/healthz`, `/readyz` and `/metrics` (on every interface)."),
});
