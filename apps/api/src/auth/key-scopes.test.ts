import { describe, expect, it } from "vitest";
import { loadApiConfig } from "../config.ts";

const TOKEN = "reports-token-3b9f1c";
const load = (scopes: unknown, env: Record<string, string> = {}) =>
  loadApiConfig({
    HOST: "127.0.0.1",
    STEPWISE_ACCESS_KEYS: "AKIDORDERS:orders-secret,AKIDADMIN:admin-secret",
    STEPWISE_API_TOKENS: `admin-token,${TOKEN}`,
    STEPWISE_KEY_SCOPES: typeof scopes === "string" ? scopes : JSON.stringify(scopes),
    ...env,
  });

/** The start-up error's message (the test fails when there is none). */
function startUpError(scopes: unknown): string {
  try {
    load(scopes);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}

describe("STEPWISE_KEY_SCOPES", () => {
  it("gives access keys and bearer tokens their patterns; activities default to none, unlisted credentials to everything", () => {
    const config = load({
      AKIDORDERS: { stateMachines: ["orders-*", "billing-*"], activities: ["orders-*"] },
      [TOKEN]: { stateMachines: ["reports-*"] },
    });
    expect(config.keyScopes.get("AKIDORDERS")).toEqual({
      stateMachines: ["orders-*", "billing-*"],
      activities: ["orders-*"],
      awsServices: [],
      handlers: [],
    });
    expect(config.keyScopes.get(TOKEN)).toEqual({ stateMachines: ["reports-*"], activities: [], awsServices: [], handlers: [] });
    expect(config.keyScopes.has("AKIDADMIN")).toBe(false);
    expect(load("").keyScopes.size).toBe(0);
  });

  it("lists the AWS services a credential's machines may call, as resources name them, or *", () => {
    const config = load({ AKIDORDERS: { stateMachines: ["orders-*"], awsServices: ["dynamodb", "sqs"] }, [TOKEN]: { awsServices: ["*"] } });
    expect(config.keyScopes.get("AKIDORDERS")?.awsServices).toEqual(["dynamodb", "sqs"]);
    expect(config.keyScopes.get(TOKEN)?.awsServices).toEqual(["*"]);
    expect(startUpError({ AKIDORDERS: { awsServices: ["DynamoDB"] } })).toMatch(
      /entry for Access key AKIDORDERS: awsServices.0: "DynamoDB" is not a service/,
    );
  });

  it("refuses text that is not a JSON object", () => {
    expect(() => load("AKIDORDERS:orders-*")).toThrow(/^Invalid configuration: STEPWISE_KEY_SCOPES is not valid JSON/);
    expect(() => load([{ stateMachines: [] }])).toThrow(/STEPWISE_KEY_SCOPES must be a JSON object/);
  });

  it("names the entry of a bad pattern or an unknown field, by access key ID or by the token's position", () => {
    expect(() => load({ AKIDORDERS: { stateMachines: ["orders.*", "ok-*", "has space"] } })).toThrow(
      'Invalid configuration: STEPWISE_KEY_SCOPES entry for Access key AKIDORDERS: stateMachines.2: "has space" is not a name pattern',
    );
    // No name holds a slash, so a pattern with one could never match: a typo, refused at start-up.
    expect(() => load({ AKIDORDERS: { stateMachines: ["orders/*"] } })).toThrow(/stateMachines\.0: "orders\/\*" is not a name pattern/);
    expect(() => load({ AKIDORDERS: { stateMachines: [""] } })).toThrow(/stateMachines\.0: "" is not a name pattern/);
    expect(() => load({ AKIDORDERS: { stateMachine: ["orders-*"] } })).toThrow(/entry for Access key AKIDORDERS: .*stateMachine/);
    const error = startUpError({ [TOKEN]: { activities: "reports-*" } });
    expect(error).toMatch(/entry for Bearer token 2 of STEPWISE_API_TOKENS: activities: /);
    expect(error).not.toContain(TOKEN);
  });

  it("refuses an entry for a credential that is not configured, without printing it whole", () => {
    expect(startUpError({ "AKIDORDERS-typo-secretish": { stateMachines: ["orders-*"] } })).toBe(
      'Invalid configuration: STEPWISE_KEY_SCOPES entry 1 ("AKID…") names neither an access key ID of STEPWISE_ACCESS_KEYS nor a token of STEPWISE_API_TOKENS',
    );
  });

  it("is refused when authentication is off, since nothing could be scoped", () => {
    expect(() => load({ AKIDORDERS: { stateMachines: ["orders-*"] } }, { STEPWISE_AUTH: "off" })).toThrow(/needs STEPWISE_AUTH=on/);
  });
});
