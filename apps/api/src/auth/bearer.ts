/** Bearer-token authentication for the REST API (`Authorization: Bearer <token>`). */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { ApiConfig } from "../config.ts";
import { bearerTokenLabel } from "./key-scopes.ts";
import { Access } from "./scopes.ts";

/** Hashing first gives equal-length buffers, so the comparison leaks neither content nor length. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

export function parseApiTokens(raw: string): string[] {
  return raw
    .split(",")
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
}

/** The position of `candidate` in `tokens`, or -1; every token is compared so timing does not reveal which. */
export function matchingToken(candidate: string, tokens: readonly string[]): number {
  const candidateDigest = digest(candidate);
  let matched = -1;
  for (const [position, token] of tokens.entries()) {
    if (timingSafeEqual(candidateDigest, digest(token)) && matched < 0) matched = position;
  }
  return matched;
}

const OPEN_ACCESS = Access.unrestricted("Anonymous caller");

/** What the request's credential may reach, as bearerAuth found it. */
export function accessOf(res: Response): Access {
  const access: unknown = res.locals.access;
  if (!(access instanceof Access)) throw new Error("bearerAuth did not run before this route");
  return access;
}

/**
 * Accepts any token of STEPWISE_API_TOKENS, and records what it may reach for the routes (`accessOf`);
 * answers 401 otherwise. Lets everything through, unrestricted, when STEPWISE_AUTH is off.
 */
export function bearerAuth(config: ApiConfig): RequestHandler {
  if (config.STEPWISE_AUTH === "off") {
    return (_req, res, next) => {
      res.locals.access = OPEN_ACCESS;
      next();
    };
  }
  const tokens = parseApiTokens(config.STEPWISE_API_TOKENS);
  const accesses = tokens.map((token, position) => {
    const scope = config.keyScopes.get(token);
    const label = bearerTokenLabel(position);
    return scope ? Access.scoped(label, scope) : Access.unrestricted(label);
  });
  return (req, res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) {
      res
        .status(401)
        .json({ error: "UnrecognizedClientException", message: "Missing bearer token: send 'Authorization: Bearer <token>'." });
      return;
    }
    const position = matchingToken(match[1]!, tokens);
    if (position < 0) {
      res.status(401).json({ error: "UnrecognizedClientException", message: "The bearer token is not valid." });
      return;
    }
    res.locals.access = accesses[position];
    next();
  };
}
