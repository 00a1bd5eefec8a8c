/**
 * STEPWISE_KEY_SCOPES: a JSON object from an access key ID (of STEPWISE_ACCESS_KEYS) or a bearer token (of
 * STEPWISE_API_TOKENS) to what that credential may reach:
 *
 *   {"AKIDORDERS": {"stateMachines": ["orders-*"], "activities": ["orders-*"], "awsServices": ["dynamodb"]}, "<token>": {"stateMachines": ["reports-*"]}}
 *
 * `awsServices`: the AWS services the machines a scoped credential creates may call through integrations
 * (none unless listed; `*` for all). `handlers`: the task handlers a worker holding the credential may serve
 * over HTTP (`/v1/tasks/poll`; none unless listed).
 * A credential without an entry reaches everything. Errors name the entry by its access key ID or by the
 * token's position, never by the token itself.
 */
import { checkName } from "@stepwise/runtime";
import { z } from "zod";
import type { KeyScope } from "./scopes.ts";

/** Scopes by credential: the access key ID, or the bearer token. */
export type KeyScopes = ReadonlyMap<string, KeyScope>;

export interface ConfiguredCredentials {
  accessKeyIds: ReadonlySet<string>;
  bearerTokens: readonly string[];
}

function isNamePattern(pattern: string): boolean {
  try {
    // A pattern is a name in which `*` may stand for any run of characters.
    checkName(pattern.replaceAll("*", "x"), "pattern");
    return true;
  } catch {
    return false;
  }
}

const patternList = z
  .array(
    z.string().refine(isNamePattern, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a name pattern (1 to 80 characters allowed in names, and *)`,
    }),
  )
  .default([]);

const serviceList = z
  .array(
    z.string().regex(/^([a-z0-9-]+|\*)$/, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a service as resources name it (dynamodb, sqs, …) or *`,
    }),
  )
  .default([]);

const entrySchema = z.strictObject({
  stateMachines: patternList,
  activities: patternList,
  awsServices: serviceList,
  handlers: patternList,
});

const fail = (detail: string) => new Error(`Invalid configuration: STEPWISE_KEY_SCOPES ${detail}`);

/** How errors and refusals name a credential without revealing a secret. */
export function bearerTokenLabel(position: number): string {
  return `Bearer token ${position + 1} of STEPWISE_API_TOKENS`;
}

export function accessKeyLabel(accessKeyId: string): string {
  return `Access key ${accessKeyId}`;
}

export function parseKeyScopes(raw: string, credentials: ConfiguredCredentials): KeyScopes {
  const scopes = new Map<string, KeyScope>();
  if (raw.trim() === "") return scopes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw fail(`is not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw fail('must be a JSON object: {"<access key ID or bearer token>": {"stateMachines": ["orders-*"], "activities": [...]}}');
  }
  for (const [index, [credential, value]] of Object.entries(parsed).entries()) {
    const label = labelOf(credential, credentials);
    if (label === undefined) {
      throw fail(
        `entry ${index + 1} ("${credential.slice(0, 4)}…") names neither an access key ID of STEPWISE_ACCESS_KEYS nor a token of STEPWISE_API_TOKENS`,
      );
    }
    const entry = entrySchema.safeParse(value);
    if (!entry.success) {
      const problems = entry.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message));
      throw fail(`entry for ${label}: ${problems.join("; ")}`);
    }
    scopes.set(credential, entry.data);
  }
  return scopes;
}

function labelOf(credential: string, credentials: ConfiguredCredentials): string | undefined {
  if (credentials.accessKeyIds.has(credential)) return accessKeyLabel(credential);
  const position = credentials.bearerTokens.indexOf(credential);
  return position < 0 ? undefined : bearerTokenLabel(position);
}
