/** API process configuration, from the environment, validated once at start-up. */
import { z } from "zod";
import { parseAccessKeys } from "./auth/access-keys.ts";
import { parseApiTokens } from "./auth/bearer.ts";
import { type KeyScopes, parseKeyScopes } from "./auth/key-scopes.ts";

export const apiConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface to listen on. Only 127.0.0.1 may run without authentication. */
  HOST: z.string().default("127.0.0.1"),
  /** `on` (default) or `off`; `off` is refused unless HOST is a loopback address. */
  STEPWISE_AUTH: z.enum(["on", "off"]).default("on"),
  /** AWS-style credentials for Signature V4: `ACCESS_KEY_ID:SECRET,ACCESS_KEY_ID2:SECRET2`. */
  STEPWISE_ACCESS_KEYS: z.string().default(""),
  /** Bearer tokens accepted by the REST API (comma-separated). */
  STEPWISE_API_TOKENS: z.string().default(""),
  /**
   * What each access key or bearer token may reach (JSON, see auth/key-scopes.ts); credentials without an
   * entry reach everything.
   */
  STEPWISE_KEY_SCOPES: z.string().default(""),
  /** Largest request body accepted (AWS: 1 MB). */
  STEPWISE_MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /**
   * Most bytes of stored events one page of history loads (GetExecutionHistory, `GET /v1/executions/:arn/history`
   * and each read of the event stream); a page always holds at least one event. AWS pages by maxResults
   * "as an upper limit only": a page may hold fewer events, with a nextToken.
   */
  STEPWISE_HISTORY_PAGE_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Event streams one credential (access key, bearer token, or everyone when STEPWISE_AUTH=off) may hold open; more get 429. */
  STEPWISE_MAX_STREAMS_PER_CREDENTIAL: z.coerce.number().int().positive().default(10),
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
