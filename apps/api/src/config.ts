/** API process configuration, from the environment, validated once at start-up. */
import { z } from "zod";
import { parseAccessKeys } from "./auth/access-keys.ts";
import { parseApiTokens } from "./auth/bearer.ts";
import { type KeyScopes, parseKeyScopes } from "./auth/key-scopes.ts";

export const apiConfigSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(8080)
    .describe("The port of the API, the console and `/healthz`, `/readyz`, `/metrics`."),
  HOST: z.string().default("127.0.0.1").describe("The interface to listen on. Only a loopback address may run without authentication."),
  STEPWISE_AUTH: z
    .enum(["on", "off"])
    .default("on")
    .describe("Authentication; `off` is refused unless `HOST` is a loopback address (`npm start` on loopback turns it off when unset)."),
  STEPWISE_ACCESS_KEYS: z
    .string()
    .default("")
    .describe(
      "AWS-style credentials for Signature Version 4 on `POST /` and the Scheduler API: `ACCESS_KEY_ID:SECRET,ACCESS_KEY_ID2:SECRET2`.",
    ),
  STEPWISE_API_TOKENS: z.string().default("").describe("Bearer tokens the REST API accepts, comma-separated."),
  STEPWISE_KEY_SCOPES: z
    .string()
    .default("")
    .describe(
      "What each access key or bearer token may reach, as JSON (docs/security.md#scoped-keys); a credential without an entry reaches everything.",
    ),
  STEPWISE_MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(1_048_576).describe("Largest request body accepted (AWS: 1 MB)."),
  // AWS pages by maxResults "as an upper limit only": a page may hold fewer events, with a nextToken.
  STEPWISE_HISTORY_PAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1_048_576)
    .describe(
      "Most bytes of stored events one history page loads (GetExecutionHistory, REST history, each read of the event stream); a page then holds fewer than `maxResults` events (at least one), with a `nextToken`.",
    ),
  STEPWISE_MAX_STREAMS_PER_CREDENTIAL: z.coerce
    .number()
    .int()
    .positive()
    .default(10)
    .describe(
      "Event streams one access key or bearer token (or everyone, with `STEPWISE_AUTH=off`) may hold open per API process; more are refused with 429 `ThrottlingException`.",
    ),
});

export type ApiConfig = z.infer<typeof apiConfigSchema> & {
  /** STEPWISE_KEY_SCOPES, checked against the configured credentials. */
  keyScopes: KeyScopes;
};

export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = apiConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const config = parsed.data;
  if (config.STEPWISE_AUTH === "off" && !isLoopback(config.HOST)) {
    throw new Error(`Invalid configuration: STEPWISE_AUTH=off is only allowed when HOST is a loopback address (got ${config.HOST})`);
  }
  const keyScopes = parseKeyScopes(config.STEPWISE_KEY_SCOPES, {
    accessKeyIds: new Set(parseAccessKeys(config.STEPWISE_ACCESS_KEYS).keys()),
    bearerTokens: parseApiTokens(config.STEPWISE_API_TOKENS),
  });
  // Without credentials there is no one to scope: refusing beats running open while the operator believes otherwise.
  if (config.STEPWISE_AUTH === "off" && keyScopes.size > 0) {
    throw new Error("Invalid configuration: STEPWISE_KEY_SCOPES needs STEPWISE_AUTH=on (with authentication off nothing is scoped)");
  }
  return { ...config, keyScopes };
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
